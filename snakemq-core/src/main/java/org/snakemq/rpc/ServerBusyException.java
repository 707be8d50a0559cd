package org.snakemq.rpc;

/**
 * The server refused a call at once because the caller already has as many calls queued or running as
 * it may ({@link RpcServer#setMaxCallsPerPeer}), or because the server's executor is full. Nothing ran;
 * the caller may try again later. A caller sees it as a {@link RemoteException} whose
 * {@linkplain RemoteException#remoteClassName() class} is this class's name (a Python caller as a
 * {@code RuntimeError} with that {@code java_class}).
 * Thrown to the calling thread, or completes the future of an asynchronous call.
 */
public final class ServerBusyException extends RpcException {

    public ServerBusyException(String message) {
        super(message);
    }
}
