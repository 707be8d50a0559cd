package org.snakemq.spring.metrics;

/**
 * Told about every call made through an injected {@code @SnakeRpcClient} proxy, for example to time
 * it. Implementations must be thread-safe: calls come from the application's threads, and the end of
 * an asynchronous call from the RPC client's callback executor.
 */
public interface RpcCallObserver {

    /** A call starts; the returned observation is ended exactly once. */
    Observation start(String peer, String object, String method);

    /** One call in progress. */
    interface Observation {
        /** The call ended; {@code error} is null when it returned normally. */
        void end(Throwable error);
    }
}
