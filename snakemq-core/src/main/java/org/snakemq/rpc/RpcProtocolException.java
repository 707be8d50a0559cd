package org.snakemq.rpc;

/**
 * An RPC message could not be encoded or decoded: malformed pickle, wrong structure, unpicklable value.
 * Thrown to the calling thread, or completes the future of an asynchronous call.
 */
public class RpcProtocolException extends RpcException {

    public RpcProtocolException(String message) {
        super(message);
    }

    public RpcProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
