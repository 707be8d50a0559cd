package org.snakemq.rpc;

/**
 * The call timed out without ever being sent: the peer was not connected in time (the original's NotConnected).
 * Thrown to the calling thread, or completes the future of an asynchronous call.
 */
public class NotConnectedException extends RpcCallException {

    public NotConnectedException(String message) {
        super(message);
    }
}
