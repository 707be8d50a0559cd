package org.snakemq.rpc;

/**
 * A call did not complete: timed out ({@link NotConnectedException}, {@link PartialCallException}),
 * the client was closed, or the calling thread was interrupted. The original's {@code CallError}.
 */
public class RpcCallException extends RpcException {

    public RpcCallException(String message) {
        super(message);
    }

    public RpcCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
