package org.snakemq.rpc;

import java.util.Objects;

import org.snakemq.message.Headers;

/**
 * Stands around every served method an {@link RpcServer} runs, for example to time it or to continue
 * the caller's trace from the request's headers. Requests refused before the method runs (access
 * policy, busy, unknown object or method, arguments that do not fit) do not reach it.
 *
 * <p>Runs on the server's executor thread that runs the method; must be thread-safe.
 */
@FunctionalInterface
public interface RpcServerInterceptor {

    /** Runs the method, nothing more. */
    RpcServerInterceptor NONE = (call, next) -> next.proceed();

    /**
     * Called once per served method. Must call {@code next.proceed} exactly once and return what it
     * returned, or throw what it threw: the method's result, which may be a
     * {@link java.util.concurrent.CompletionStage} (the reply is sent when it completes; watch its end
     * with {@code whenComplete} on it, and return it itself).
     */
    Object intercept(IncomingCall call, Next next) throws Throwable;

    /** Runs the method; called once, on the executor thread. */
    @FunctionalInterface
    interface Next {
        Object proceed() throws Throwable;
    }

    /**
     * One request whose method is about to run. Immutable.
     *
     * @param peer    the caller's identity
     * @param object  the name the object is registered under
     * @param method  the method's remote name (an {@link RpcName} alias where it has one)
     * @param signal  whether the request is a signal (no reply)
     * @param headers the request message's headers; empty from Python clients and older peers
     */
    record IncomingCall(String peer, String object, String method, boolean signal, Headers headers) {
        public IncomingCall {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(object, "object");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(headers, "headers");
        }
    }
}
