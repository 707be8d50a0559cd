package org.snakemq.rpc;

/**
 * Base of every exception thrown by the RPC layer. Unchecked, so typed proxies need no throws clauses.
 * Thrown to the calling thread, or completes the future of an asynchronous call.
 */
public class RpcException extends RuntimeException {

    public RpcException(String message) {
        super(message);
    }

    public RpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
