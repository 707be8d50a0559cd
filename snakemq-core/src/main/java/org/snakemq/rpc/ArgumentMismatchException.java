package org.snakemq.rpc;

/** The arguments of a request fit no method of the requested name (sent to Python as TypeError). */
final class ArgumentMismatchException extends RpcException {

    ArgumentMismatchException(String message) {
        super(message);
    }
}
