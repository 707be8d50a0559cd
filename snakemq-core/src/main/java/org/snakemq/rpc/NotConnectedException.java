package org.snakemq.rpc;

/** The call timed out without ever being sent: the peer was not connected in time (the original's NotConnected). */
public class NotConnectedException extends RpcCallException {

    public NotConnectedException(String message) {
        super(message);
    }
}
