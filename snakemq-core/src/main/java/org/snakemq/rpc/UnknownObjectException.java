package org.snakemq.rpc;

/** No object is registered under the requested name (the original's NoInstanceError). */
final class UnknownObjectException extends RpcException {

    private final String name;

    UnknownObjectException(String name) {
        super("no object registered as '" + name + "'");
        this.name = name;
    }

    String name() {
        return name;
    }
}
