package org.snakemq.rpc;

import java.util.Objects;

import org.snakemq.message.Headers;

/**
 * Stands around every call and signal an {@link RpcClient} sends, through a proxy or
 * {@link RpcClient#newCall}, for example to time it or to put a trace context into the request's
 * headers. Headers reach only snakemq-java servers; a Python server never sees them.
 *
 * <p>Runs on the thread that makes the call; must be thread-safe.
 */
@FunctionalInterface
public interface RpcClientInterceptor {

    /** Sends every request without headers. */
    RpcClientInterceptor NONE = (call, next) -> next.proceed(Headers.EMPTY);

    /**
     * Called once per call or signal. Must call {@code next.proceed} exactly once and return what it
     * returned: the result of a call that waits (it throws what the call throws), the
     * {@link java.util.concurrent.CompletableFuture} of an {@link Kind#ASYNC_CALL} (watch its end with
     * {@code whenComplete} on it, and return it itself), {@code null} for a signal.
     */
    Object intercept(OutgoingCall call, Next next);

    /** Sends the request with these headers; called once, on the calling thread. */
    @FunctionalInterface
    interface Next {
        Object proceed(Headers headers);
    }

    /** How the caller waits for the result. Immutable. */
    enum Kind {
        /** The calling thread waits for the reply. */
        CALL,
        /** The caller gets a future that completes with the reply. */
        ASYNC_CALL,
        /** No reply. */
        SIGNAL
    }

    /**
     * One request about to be sent. Immutable.
     *
     * @param peer   the server's identity
     * @param object the remote object's name
     * @param method the remote method's name
     * @param kind   call, asynchronous call or signal
     */
    record OutgoingCall(String peer, String object, String method, Kind kind) {
        public OutgoingCall {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(object, "object");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(kind, "kind");
        }
    }
}
