package org.snakemq.rpc;

/** The object has no callable method of the requested name (the original's NoMethodError). */
final class UnknownMethodException extends RpcException {

    private final String name;

    UnknownMethodException(String object, String name) {
        super("object '" + object + "' has no method '" + name + "'");
        this.name = name;
    }

    String name() {
        return name;
    }
}
