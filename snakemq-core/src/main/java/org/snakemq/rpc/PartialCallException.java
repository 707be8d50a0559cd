package org.snakemq.rpc;

/**
 * The call timed out after the request was sent, before a reply came back: the peer may or may not
 * have run it (the original's PartialCall).
 * Thrown to the calling thread, or completes the future of an asynchronous call.
 */
public class PartialCallException extends RpcCallException {

    public PartialCallException(String message) {
        super(message);
    }
}
