package org.snakemq.rpc;

/**
 * A decoded {@code rpcrep} message: either a value or a remote exception.
 *
 * @param reqId the request id it answers
 * @param value the unpickled return value when {@code error} is null
 * @param error the remote exception, or null for a successful call
 */
record RpcReply(byte[] reqId, Object value, RemoteException error) {

    boolean ok() {
        return error == null;
    }
}
