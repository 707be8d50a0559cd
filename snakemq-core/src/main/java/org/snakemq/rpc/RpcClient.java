package org.snakemq.rpc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakemq.callback.Registration;
import org.snakemq.link.Connection;
import org.snakemq.message.Headers;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.ReceiveHook;

/**
 * Calls methods of objects registered with an {@link RpcServer} or a Python {@code snakemq.rpc.RpcServer}.
 *
 * <p>As the original: a call is sent (TTL 0) only while the peer is connected, waits for the reply,
 * and is sent again with the same request id whenever the peer reconnects after a break (the server
 * answers a repeated id from its reply cache, so a method does not run twice). With a timeout, a call
 * that never reached the peer fails with {@link NotConnectedException}, one that was sent but got no
 * reply with {@link PartialCallException}. A call without a timeout waits until the reply comes or
 * {@link #close()} fails it. Exceptions of the remote method are thrown as {@link RemoteException}.
 * Signals are sent once, with the TTL the caller gives, and get no reply.
 *
 * <p>Threads: every method is thread-safe. Synchronous calls block the calling thread, never the link's
 * loop thread: do not call them from messaging callbacks. Futures of {@code callAsync} complete on the
 * callback executor (by default the client's own pool of daemon threads).
 */
public final class RpcClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("snakemq.rpc");

    private final Messaging messaging;
    private final Executor callbackExecutor;
    private final List<Registration> registrations;
    private final Map<RequestId, PendingCall> pending = new ConcurrentHashMap<>();
    /** Connects seen per peer; a call is sent at most once per connection. Loop thread only. */
    private final Map<String, Integer> connectEpochs = new java.util.HashMap<>();
    private volatile Duration defaultTimeout;
    private volatile RpcClientInterceptor interceptor = RpcClientInterceptor.NONE;
    private volatile boolean closed;

    /**
     * A client whose async results complete on its own pool of daemon threads, created on demand and
     * ended after a minute without work (the common fork-join pool has a single thread on a two-core
     * machine, and one slow continuation there would delay every other call's completion).
     */
    public RpcClient(ReceiveHook hook) {
        this(hook, new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                RpcServer.daemonThreads("snakemq-rpc-callback-")));
    }

    /** @param callbackExecutor where the futures of {@code callAsync} complete */
    public RpcClient(ReceiveHook hook, Executor callbackExecutor) {
        this.messaging = hook.messaging();
        this.callbackExecutor = Objects.requireNonNull(callbackExecutor, "callbackExecutor");
        this.registrations = List.of(
                hook.register(RpcCodec.REPLY_PREFIX, this::onReply),
                messaging.onConnect().add(this::onConnect));
    }

    /** The timeout of calls that do not set their own; null (the default) waits without limit. */
    public void setDefaultTimeout(Duration timeout) {
        this.defaultTimeout = timeout;
    }

    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    /**
     * Stands around every call and signal sent from now on (default {@link RpcClientInterceptor#NONE}):
     * gives the requests their headers, sees each call end. Thread-safe.
     */
    public void setInterceptor(RpcClientInterceptor interceptor) {
        this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
    }

    public RpcClientInterceptor interceptor() {
        return interceptor;
    }

    /**
     * A typed proxy for the object {@code object} of peer {@code peer}, using the client's default
     * timeout. Methods marked {@link RpcSignal} send signals; methods returning {@link CompletableFuture}
     * or {@link CompletionStage} call asynchronously; other methods call and wait.
     */
    public <T> T proxy(String peer, String object, Class<T> api) {
        return proxy(peer, object, api, null);
    }

    /** Like {@link #proxy(String, String, Class)} with a timeout for every call (null: the client's default). */
    public <T> T proxy(String peer, String object, Class<T> api, Duration timeout) {
        if (!api.isInterface()) {
            throw new IllegalArgumentException(api.getName() + " is not an interface");
        }
        for (Method method : api.getMethods()) {
            if (method.isAnnotationPresent(RpcSignal.class) && method.getReturnType() != void.class) {
                throw new IllegalArgumentException("signal " + method + " must return void");
            }
        }
        return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api},
                new ProxyHandler(peer, object, timeout)));
    }

    /** Calls {@code object.method(args...)} on {@code peer} and waits; returns the unpickled result (tuples as lists). */
    public Object call(String peer, String object, String method, Object... args) {
        return newCall(peer, object, method).args(args).call();
    }

    /** Calls without waiting; the future completes on the callback executor. */
    public CompletableFuture<Object> callAsync(String peer, String object, String method, Object... args) {
        return newCall(peer, object, method).args(args).callAsync();
    }

    /**
     * Sends a signal: no reply, no exception. {@code ttl} as for any message: zero sends it only if
     * the peer is connected now, null never expires.
     */
    public void signal(String peer, String object, String method, Duration ttl, Object... args) {
        newCall(peer, object, method).args(args).signal(ttl);
    }

    /** A call with keyword arguments, a timeout or a result type: {@code client.newCall(p, o, m).args(1).kwarg("x", 2).call(int.class)}. */
    public RpcCall newCall(String peer, String object, String method) {
        return new RpcCall(this, peer, object, method);
    }

    /** Fails every waiting call with an {@link RpcCallException} and stops listening. Idempotent. */
    @Override
    public void close() {
        closed = true;
        registrations.forEach(Registration::close);
        for (PendingCall call : pending.values()) {
            call.result.completeExceptionally(new RpcCallException("RPC client closed"));
        }
    }

    // ---------------------------------------------------------------- used by RpcCall

    void sendSignal(String peer, String object, String method, List<Object> args, Map<String, Object> kwargs,
                    Duration ttl) {
        checkOpen();
        byte[] data = RpcCodec.encodeRequest(new RpcRequest(true, object, method, args, kwargs, null));
        interceptor.intercept(outgoing(peer, object, method, RpcClientInterceptor.Kind.SIGNAL), headers -> {
            messaging.send(peer, new Message(RpcIds.random(), data, ttl, 0, headers));
            return null;
        });
    }

    Object callSync(String peer, String object, String method, List<Object> args, Map<String, Object> kwargs,
                    Duration timeout, Type returnType) {
        if (messaging.transport().inLoop()) {
            // the reply could never arrive: it is received on this very thread
            throw new IllegalStateException("synchronous RPC call from the link's loop thread; use callAsync");
        }
        return interceptor.intercept(outgoing(peer, object, method, RpcClientInterceptor.Kind.CALL),
                headers -> waitFor(peer, object, method, args, kwargs, timeout, returnType, headers));
    }

    private Object waitFor(String peer, String object, String method, List<Object> args, Map<String, Object> kwargs,
                           Duration timeout, Type returnType, Headers headers) {
        Duration limit = timeout != null ? timeout : defaultTimeout;
        // the waiting thread keeps the time itself: no timer task per call
        PendingCall call = start(peer, object, method, args, kwargs, null, false, headers);
        RpcReply reply;
        try {
            reply = limit == null ? call.result.get() : call.result.get(Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.result.completeExceptionally(e);
            throw failure(call, e);
        } catch (InterruptedException e) {
            pending.remove(call.key, call);
            call.result.cancel(false);
            Thread.currentThread().interrupt();
            throw new RpcCallException("interrupted while waiting for " + call.describe(), e);
        } catch (ExecutionException e) {
            throw failure(call, e.getCause());
        }
        return value(call, reply, returnType);
    }

    @SuppressWarnings("unchecked")
    CompletableFuture<Object> callAsync(String peer, String object, String method, List<Object> args,
                                        Map<String, Object> kwargs, Duration timeout, Type returnType) {
        Object result = interceptor.intercept(outgoing(peer, object, method, RpcClientInterceptor.Kind.ASYNC_CALL),
                headers -> callAsync(peer, object, method, args, kwargs, timeout, returnType, headers));
        if (!(result instanceof CompletableFuture<?>)) {
            throw new IllegalStateException("the RPC client interceptor returned " + result
                    + " for an asynchronous call instead of the call's future");
        }
        return (CompletableFuture<Object>) result;
    }

    private CompletableFuture<Object> callAsync(String peer, String object, String method, List<Object> args,
                                                Map<String, Object> kwargs, Duration timeout, Type returnType,
                                                Headers headers) {
        PendingCall call = start(peer, object, method, args, kwargs, timeout, true, headers);
        CompletableFuture<Object> result = new CompletableFuture<>();
        call.result.whenCompleteAsync((reply, error) -> {
            try {
                if (error != null) {
                    result.completeExceptionally(failure(call, error));
                } else {
                    result.complete(value(call, reply, returnType));
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, callbackExecutor);
        // cancelling the caller's future abandons the call
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) {
                call.result.cancel(false);
            }
        });
        return result;
    }

    // ---------------------------------------------------------------- internals

    private static RpcClientInterceptor.OutgoingCall outgoing(String peer, String object, String method,
                                                              RpcClientInterceptor.Kind kind) {
        Objects.requireNonNull(peer, "peer");
        return new RpcClientInterceptor.OutgoingCall(peer, object, method, kind);
    }

    private PendingCall start(String peer, String object, String method, List<Object> args, Map<String, Object> kwargs,
                              Duration timeout, boolean useTimer, Headers headers) {
        checkOpen();
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(headers, "headers");
        byte[] reqId = newRequestId();
        byte[] data = RpcCodec.encodeRequest(new RpcRequest(false, object, method, args, kwargs, reqId));
        PendingCall call = new PendingCall(new RequestId(peer, reqId), peer, object + "." + method, data, headers);
        pending.put(call.key, call);
        call.result.whenComplete((reply, error) -> pending.remove(call.key, call));
        Duration limit = timeout != null ? timeout : defaultTimeout;
        if (useTimer && limit != null) {
            call.result.orTimeout(Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
        }
        if (closed) {
            call.result.completeExceptionally(new RpcCallException("RPC client closed"));
        }
        messaging.transport().execute(() -> trySend(call));
        return call;
    }

    /** Loop thread. */
    private void trySend(PendingCall call) {
        if (call.result.isDone() || !messaging.isConnected(call.peer)) {
            return;
        }
        int epoch = connectEpochs.getOrDefault(call.peer, 0);
        if (call.sent) {
            if (call.sentEpoch == epoch) {
                return;
            }
            log.debug("re-sending {} req_id={} to {}", call.what, call.key, call.peer);
        }
        call.sentEpoch = epoch;
        call.sent = true;
        messaging.send(call.peer, new Message(RpcIds.random(), call.data, Duration.ZERO, 0, call.headers));
    }

    /** Loop thread. */
    private void onConnect(Connection connection, String peer) {
        connectEpochs.merge(peer, 1, Integer::sum);
        for (PendingCall call : pending.values()) {
            if (call.peer.equals(peer)) {
                trySend(call);
            }
        }
    }

    /** Loop thread. */
    private void onReply(Connection connection, String peer, Message message) {
        RpcReply reply;
        try {
            reply = RpcCodec.decodeReply(message.data());
        } catch (RpcProtocolException e) {
            log.warn("bad RPC reply from {}: {}", peer, e.getMessage());
            return;
        }
        // keyed by the replying peer too: a reply from another peer finds nothing
        RequestId key = new RequestId(peer, reply.reqId());
        PendingCall call = pending.get(key);
        if (call == null || !pending.remove(key, call)) {
            log.info("reply from {} for unknown req_id={} ignored (timed out, or answered twice)", peer, key);
            return;
        }
        call.result.complete(reply);
    }

    private Object value(PendingCall call, RpcReply reply, Type returnType) {
        if (!reply.ok()) {
            throw reply.error().inCallingThread();
        }
        if (returnType == void.class || returnType == Void.class) {
            return null;
        }
        try {
            return ValueConverter.convert(reply.value(), returnType);
        } catch (IllegalArgumentException e) {
            throw new RpcProtocolException("result of " + call.describe() + " does not fit "
                    + returnType.getTypeName() + ": " + e.getMessage(), e);
        }
    }

    private RuntimeException failure(PendingCall call, Throwable error) {
        if (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        if (error instanceof TimeoutException) {
            return call.sent
                    ? new PartialCallException("no reply to " + call.describe() + " in time; the request was sent")
                    : new NotConnectedException("peer " + call.peer + " not connected in time for " + call.describe());
        }
        if (error instanceof RpcCallException e) {
            return new RpcCallException(e.getMessage() + ": " + call.describe(), e);
        }
        return error instanceof RuntimeException r ? r : new RpcCallException(call.describe() + " failed", error);
    }

    private void checkOpen() {
        if (closed) {
            throw new RpcCallException("RPC client closed");
        }
    }

    private static byte[] newRequestId() {
        return RpcIds.bytes(RpcIds.random());
    }

    private static final class PendingCall {
        final RequestId key;
        final String peer;
        final String what;
        final byte[] data;
        final Headers headers;
        final CompletableFuture<RpcReply> result = new CompletableFuture<>();
        volatile boolean sent;
        int sentEpoch;

        PendingCall(RequestId key, String peer, String what, byte[] data, Headers headers) {
            this.key = key;
            this.peer = peer;
            this.what = what;
            this.data = data;
            this.headers = headers;
        }

        String describe() {
            return what + " on " + peer;
        }
    }

    private final class ProxyHandler implements InvocationHandler {
        private final String peer;
        private final String object;
        private final Duration timeout;

        ProxyHandler(String peer, String object, Duration timeout) {
            this.peer = Objects.requireNonNull(peer, "peer");
            this.object = Objects.requireNonNull(object, "object");
            this.timeout = timeout;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "RpcProxy[" + peer + "/" + object + "]";
                };
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            List<Object> arguments = args == null ? List.of() : Arrays.asList(args);
            Plan plan = PLANS.get(method.getDeclaringClass()).computeIfAbsent(method, Plan::of);
            if (plan.signal()) {
                sendSignal(peer, object, plan.name(), arguments, Map.of(), plan.ttl());
                return null;
            }
            if (plan.async()) {
                return callAsync(peer, object, plan.name(), arguments, Map.of(), timeout, plan.resultType());
            }
            return callSync(peer, object, plan.name(), arguments, Map.of(), timeout, plan.resultType());
        }
    }

    /** What a proxy method does, worked out once per method. */
    private record Plan(String name, boolean signal, Duration ttl, boolean async, Type resultType) {
        static Plan of(Method method) {
            String name = RemoteObject.remoteName(method);
            RpcSignal signal = method.getAnnotation(RpcSignal.class);
            if (signal != null) {
                return new Plan(name, true, signal.ttlMillis() < 0 ? null : Duration.ofMillis(signal.ttlMillis()), false, void.class);
            }
            Class<?> returns = method.getReturnType();
            if (returns == CompletableFuture.class || returns == CompletionStage.class) {
                Type resultType = method.getGenericReturnType() instanceof ParameterizedType p
                        ? p.getActualTypeArguments()[0] : Object.class;
                return new Plan(name, false, null, true, resultType);
            }
            return new Plan(name, false, null, false, method.getGenericReturnType());
        }
    }

    private static final ClassValue<Map<Method, Plan>> PLANS = new ClassValue<>() {
        @Override
        protected Map<Method, Plan> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };
}
