package org.snakemq.rpc;

/** The access policy refused the call; the caller gets Python's {@code PermissionError}. */
final class CallDeniedException extends RpcException {

    CallDeniedException(String peer, String object, String method) {
        super("peer '" + peer + "' may not call " + object + "." + method);
    }
}
