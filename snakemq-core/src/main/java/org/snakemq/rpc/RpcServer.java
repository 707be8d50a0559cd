package org.snakemq.rpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakemq.callback.Registration;
import org.snakemq.internal.LogBudget;
import org.snakemq.link.Connection;
import org.snakemq.message.Headers;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.ReceiveHook;

/**
 * Serves registered objects to RPC clients, Java or Python ({@code snakemq.rpc.RpcClient}).
 *
 * <p>Requests arrive on the link's loop thread and are only decoded there; each method runs on the
 * executor (by default a bounded pool of daemon threads owned by this server; any executor works,
 * e.g. one virtual thread per task on Java 21), except a method marked {@link RpcNonBlocking}, which
 * runs on the loop thread and saves the hand-off. A method may return a {@link CompletionStage}: the reply
 * is sent when it completes. The server remembers the replies to recent request ids and answers a
 * repeated request (the client re-sends after a reconnect) from there instead of running the method
 * again; a repeat that arrives while the first still runs waits for it.
 *
 * <p>Calls get a reply: the return value, or the exception. Lookup and argument errors (unknown
 * object or method, wrong argument count or types) are always answered with an exception, as
 * {@code snakemq.rpc.NoInstanceError}, {@code NoMethodError} or {@code TypeError}. Exceptions thrown by
 * the method are transferred with their stack trace while {@link #setTransferExceptions} is on (the
 * default); when it is off, and for methods marked {@link RpcSignal} that are called as calls, the
 * server logs the exception and the caller gets a {@code RuntimeError} without details (the original
 * sent nothing and left the caller waiting). Signals never get a reply. A request that is not a valid
 * pickle is logged and dropped; if its request id can still be read the caller gets an error.
 *
 * <p>What a peer may call: only the methods the application wrote, never those of {@code Object}, of
 * the framework around the object (a Spring proxy's {@code Advised} methods, {@code destroy()},
 * {@code *Aware} setters, ...) or container callbacks; see {@link #register(String, Object, Class)}.
 * Every request is put to the {@linkplain #setAccessPolicy access policy} first (default: allow all).
 * One peer may have at most {@linkplain #setMaxCallsPerPeer so many} calls queued or running; more are
 * refused at once with a {@link ServerBusyException}, so one peer cannot take the executor from the
 * others. Refusals are logged at WARN (at most {@value #WARNINGS_PER_SECOND} lines a second) and
 * counted: {@link #deniedCalls()}, {@link #busyCalls()}.
 *
 * <p>Use one server per {@link ReceiveHook}: every server on a hook sees every request, and one that
 * lacks the object would answer with {@code NoInstanceError}.
 */
public final class RpcServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("snakemq.rpc");
    private static final int DEFAULT_THREADS = 32;
    private static final int DEFAULT_QUEUE = 10_000;
    private static final int REPLY_CACHE_SIZE = 4096;
    private static final long REPLY_CACHE_BYTES = 32L * 1024 * 1024;
    /** The default of {@link #setMaxCallsPerPeer}: half the default pool, so two peers can fill it. */
    public static final int DEFAULT_MAX_CALLS_PER_PEER = 16;
    private static final int WARNINGS_PER_SECOND = 20;

    private final Messaging messaging;
    private final Registration route;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final Map<String, RemoteObject> objects = new ConcurrentHashMap<>();
    private final ReplyCache replies = new ReplyCache(REPLY_CACHE_SIZE, REPLY_CACHE_BYTES);
    /** Calls queued or running per peer; a peer without calls has no entry. */
    private final Map<String, Integer> callsInFlight = new ConcurrentHashMap<>();
    private final LongAdder denied = new LongAdder();
    private final LongAdder busy = new LongAdder();
    private final LogBudget warnings = new LogBudget(WARNINGS_PER_SECOND, Duration.ofSeconds(1));
    private final LogBudget dispatchLines = new LogBudget(WARNINGS_PER_SECOND, Duration.ofSeconds(1));
    private volatile boolean transferExceptions = true;
    private volatile RpcAccessPolicy accessPolicy = RpcAccessPolicy.allowAll();
    private volatile int maxCallsPerPeer = DEFAULT_MAX_CALLS_PER_PEER;
    private volatile RpcServerInterceptor interceptor = RpcServerInterceptor.NONE;

    /** A server running methods on its own bounded pool of {@value #DEFAULT_THREADS} daemon threads. */
    public RpcServer(ReceiveHook hook) {
        this(hook, null);
    }

    /**
     * @param executor runs the methods; null for the server's own bounded pool. An executor passed in
     *                 is not shut down by {@link #close()}.
     */
    public RpcServer(ReceiveHook hook, Executor executor) {
        this.messaging = hook.messaging();
        if (executor == null) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(DEFAULT_THREADS, DEFAULT_THREADS, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(DEFAULT_QUEUE), daemonThreads("snakemq-rpc-"));
            pool.allowCoreThreadTimeOut(true);
            this.ownedExecutor = pool;
            this.executor = pool;
        } else {
            this.ownedExecutor = null;
            this.executor = executor;
        }
        this.route = hook.register(RpcCodec.REQUEST_PREFIX, this::onRequest);
    }

    /**
     * Serves the public methods of {@code target}'s own class under {@code name}, replacing an object
     * of that name. The class is the one the application wrote behind any proxy: the superclass of a
     * generated subclass ({@code $$} in the class name, as CGLIB names them), the interfaces of a JDK
     * proxy. Callable are its public instance methods and those of its superclasses and interfaces,
     * except methods of {@code Object}, methods declared in a framework or platform type
     * ({@code java.*}, {@code javax.*}, {@code jakarta.*}, {@code org.springframework.*},
     * {@code net.sf.cglib.*}, ...) and every method that overrides one (so neither
     * {@code DisposableBean.destroy()}, {@code AutoCloseable.close()} nor an inherited public setter),
     * and methods annotated {@code @PreDestroy}, {@code @PostConstruct}, {@code @Autowired} or
     * {@code @Inject}. Calls go through {@code target} itself, so a proxy's advice still applies.
     * Thread-safe.
     */
    public void register(String name, Object target) {
        register(name, target, null);
    }

    /**
     * Serves {@code target} under {@code name} with only the methods of {@code served}, replacing an
     * object of that name. An interface restricts the object to exactly that interface's methods (and
     * those of its super-interfaces), for example {@code register("clock", clockBean, ClockApi.class)};
     * a class names the user class to serve when the caller knows it better than the runtime type
     * does (Spring's {@code AopUtils.getTargetClass}). The exclusions of {@link #register(String, Object)}
     * apply either way. Thread-safe.
     *
     * @param served null for {@link #register(String, Object)}'s choice
     * @throws IllegalArgumentException {@code target} is not an instance of {@code served}
     */
    public void register(String name, Object target, Class<?> served) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        RemoteObject object = new RemoteObject(name, target, served);
        if (object.methodNames().isEmpty()) {
            log.warn("object '{}' ({}) has no method a peer may call", name, target.getClass().getName());
        } else {
            log.debug("serving '{}' ({}): {}", name, target.getClass().getName(), object.methodNames());
        }
        objects.put(name, object);
    }

    /**
     * The method names a peer may call on the object registered as {@code name} (Java names and
     * {@link RpcName} aliases); empty when there is no such object.
     */
    public Set<String> methodNames(String name) {
        RemoteObject object = objects.get(name);
        return object == null ? Set.of() : object.methodNames();
    }

    /** Stops serving {@code name}; calls already running finish. Thread-safe. */
    public void unregister(String name) {
        objects.remove(name);
    }

    /** Names of the registered objects. */
    public Set<String> registeredNames() {
        return Set.copyOf(objects.keySet());
    }

    /** Whether exceptions thrown by called methods go to the caller (the original's {@code transfer_exceptions}). */
    public void setTransferExceptions(boolean transfer) {
        this.transferExceptions = transfer;
    }

    public boolean isTransferExceptions() {
        return transferExceptions;
    }

    /**
     * Decides, for every request, whether the peer may call the method ({@link RpcAccessPolicy}: it
     * runs on the link's loop thread and must not block). Default {@link RpcAccessPolicy#allowAll()}.
     */
    public void setAccessPolicy(RpcAccessPolicy policy) {
        this.accessPolicy = Objects.requireNonNull(policy, "policy");
    }

    public RpcAccessPolicy accessPolicy() {
        return accessPolicy;
    }

    /**
     * Stands around every served method run from now on (default {@link RpcServerInterceptor#NONE}):
     * sees the request's headers, may time the method. Thread-safe.
     */
    public void setInterceptor(RpcServerInterceptor interceptor) {
        this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
    }

    public RpcServerInterceptor interceptor() {
        return interceptor;
    }

    /**
     * The most calls and signals one peer may have queued or running at once (a call whose method
     * returned a {@link CompletionStage} counts until the stage completes). A request beyond it is
     * refused at once: a call is answered with a {@link ServerBusyException}, a signal is dropped.
     * Default {@value #DEFAULT_MAX_CALLS_PER_PEER}.
     */
    public void setMaxCallsPerPeer(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxCallsPerPeer must be at least 1, not " + max);
        }
        this.maxCallsPerPeer = max;
    }

    public int maxCallsPerPeer() {
        return maxCallsPerPeer;
    }

    /**
     * Bounds the memory of replies kept to answer repeated requests: at most {@code entries} replies of
     * at most {@code bytes} bytes together (defaults 4096 and 32 MiB). Replies of calls still running
     * are kept whatever the bounds; a reply larger than {@code bytes} is not kept, and a repeat of its
     * request runs the method again.
     */
    public void setReplyCacheLimits(int entries, long bytes) {
        replies.setLimits(entries, bytes);
    }

    /** Calls and signals of {@code peer} queued or running now. */
    public int callsInFlight(String peer) {
        return callsInFlight.getOrDefault(peer, 0);
    }

    /** Requests the access policy refused since the server was made. */
    public long deniedCalls() {
        return denied.sum();
    }

    /** Requests refused as busy (the peer's limit, or a full executor) since the server was made. */
    public long busyCalls() {
        return busy.sum();
    }

    /** Stops receiving requests and shuts the server's own pool down (running methods finish). */
    @Override
    public void close() {
        route.close();
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }

    /** Loop thread. */
    private void onRequest(Connection connection, String peer, Message message) {
        RpcRequest request;
        try {
            request = RpcCodec.decodeRequest(message.data());
        } catch (RpcProtocolException e) {
            byte[] reqId = RpcCodec.salvageReqId(message.data());
            log.warn("bad RPC request from {}: {}{}", peer, e.getMessage(), reqId == null ? " (dropped)" : " (answered)");
            if (reqId != null) {
                send(peer, RpcCodec.encodeException(reqId, PythonExceptions.toPython(e), List.of()));
            }
            return;
        }
        RequestId key = request.reqId() == null ? null : new RequestId(peer, request.reqId());
        if (log.isDebugEnabled()) {
            log.debug("{} from {}: {}.{} req_id={}", request.signal() ? "signal" : "call", peer, request.object(),
                    request.method(), key == null ? "-" : key);
        }
        RemoteObject object = objects.get(request.object());
        if (!allowed(connection, peer, request, object)) {
            return;
        }
        ReplyCache.Entry entry = new ReplyCache.Entry();
        if (key != null) {
            ReplyCache.Entry earlier = replies.putIfAbsent(key, entry);
            if (earlier != null) {
                if (replies.claimRepeat(earlier)) {
                    log.debug("repeated req_id from {}: answering with the first request's reply", peer);
                    earlier.reply.thenAccept(reply -> {
                        if (reply != null) {
                            send(peer, reply);
                        }
                    });
                } else {
                    log.debug("repeated req_id from {} while a repeat already waits: ignored", peer);
                }
                return;
            }
        }
        if (!acquire(peer)) {
            refuseBusy(peer, request, key, "peer '" + peer + "' has " + maxCallsPerPeer
                    + " calls queued or running, the most it may have");
            return;
        }
        Headers headers = message.headers();
        if (object != null && object.nonBlocking(request.method())) {
            run(peer, request, object, key, entry, headers); // marked: no hand-off to a worker
            return;
        }
        try {
            executor.execute(() -> run(peer, request, object, key, entry, headers));
        } catch (RejectedExecutionException e) {
            release(peer);
            refuseBusy(peer, request, key, "the RPC server's executor is full");
        }
    }

    /** Loop thread: asks the policy; answers and counts a refusal. */
    private boolean allowed(Connection connection, String peer, RpcRequest request, RemoteObject object) {
        String canonical = object == null ? null : object.canonicalName(request.method());
        String method = canonical == null ? request.method() : canonical;
        boolean allowed;
        try {
            allowed = accessPolicy.allows(new RpcAccessPolicy.Call(peer, request.object(), method, request.signal(),
                    connection));
        } catch (RuntimeException e) {
            log.warn("RPC access policy failed on {}.{} from {}: refusing", request.object(), method, peer, e);
            allowed = false;
        }
        if (allowed) {
            return true;
        }
        denied.increment();
        long skipped = warnings.tryAcquire();
        if (skipped >= 0) {
            log.warn("refused {} {}.{} from peer '{}' ({}): not allowed by the access policy{}",
                    request.signal() ? "signal" : "call", request.object(), method, peer,
                    connection == null ? "?" : connection.remoteAddress(), LogBudget.suffix(skipped));
        }
        if (!request.signal()) {
            send(peer, RpcCodec.encodeException(request.reqId(),
                    PythonExceptions.toPython(new CallDeniedException(peer, request.object(), method)), List.of()));
        }
        return false;
    }

    private void refuseBusy(String peer, RpcRequest request, RequestId key, String reason) {
        busy.increment();
        if (key != null) {
            replies.remove(key);
        }
        long skipped = warnings.tryAcquire();
        if (skipped >= 0) {
            log.warn("RPC server busy, refusing {} {}.{} from peer '{}': {}{}", request.signal() ? "signal" : "call",
                    request.object(), request.method(), peer, reason, LogBudget.suffix(skipped));
        }
        if (!request.signal()) {
            send(peer, RpcCodec.encodeException(request.reqId(), PythonExceptions.toPython(
                    new ServerBusyException("RPC server busy: " + reason + "; nothing ran, try again later")), List.of()));
        }
    }

    /** Counts a call of {@code peer} in, unless it has its maximum already. */
    private boolean acquire(String peer) {
        int max = maxCallsPerPeer;
        boolean[] acquired = {false};
        callsInFlight.compute(peer, (k, calls) -> {
            int now = calls == null ? 0 : calls;
            if (now >= max) {
                return calls;
            }
            acquired[0] = true;
            return now + 1;
        });
        return acquired[0];
    }

    private void release(String peer) {
        callsInFlight.computeIfPresent(peer, (k, calls) -> calls <= 1 ? null : calls - 1);
    }

    /** Executor thread; the loop thread for a {@link RpcNonBlocking} method. */
    private void run(String peer, RpcRequest request, RemoteObject object, RequestId key, ReplyCache.Entry entry,
                     Headers headers) {
        boolean signalMethod = false;
        try {
            if (object == null) {
                throw new UnknownObjectException(request.object());
            }
            RemoteObject.Invocation invocation = object.bind(request.method(), request.args(), request.kwargs());
            signalMethod = invocation.signal();
            if (signalMethod != request.signal()) {
                log.warn("{}.{} is {}a signal but was called as a {}", request.object(), request.method(),
                        signalMethod ? "" : "not ", request.signal() ? "signal" : "call");
            }
            String canonical = object.canonicalName(request.method());
            RpcServerInterceptor.IncomingCall call = new RpcServerInterceptor.IncomingCall(peer, request.object(),
                    canonical == null ? request.method() : canonical, request.signal(), headers);
            Object result = interceptor.intercept(call, () -> object.invoke(invocation));
            if (result instanceof CompletionStage<?> stage) {
                boolean signal = signalMethod;
                stage.whenComplete((value, error) -> finish(peer, request, key, entry, signal, value, unwrap(error)));
            } else {
                finish(peer, request, key, entry, signalMethod, result, null);
            }
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                release(peer);
                replies.complete(key, entry, null);
                throw vme;
            }
            finish(peer, request, key, entry, signalMethod, null, t);
        }
    }

    private void finish(String peer, RpcRequest request, RequestId key, ReplyCache.Entry entry, boolean signalMethod,
                        Object value, Throwable error) {
        byte[] reply = null;
        try {
            reply = reply(peer, request, signalMethod, value, error);
        } finally {
            // released before the reply leaves: a client may send its next call the moment it has the
            // reply, and that call must not find this one still counted against the peer's limit
            release(peer);
            replies.complete(key, entry, reply);
        }
        if (reply != null) {
            send(peer, reply);
        }
    }

    /** The encoded reply of a finished call; null for a signal, which gets none. */
    private byte[] reply(String peer, RpcRequest request, boolean signalMethod, Object value, Throwable error) {
        if (request.signal()) {
            if (error != null) {
                log.warn("signal {}.{} from {} failed", request.object(), request.method(), peer, error);
            }
            return null;
        }
        if (error == null) {
            try {
                return RpcCodec.encodeReturn(request.reqId(), value);
            } catch (RpcProtocolException e) {
                error = e;
            }
        }
        return encodeError(peer, request, signalMethod, error);
    }

    private byte[] encodeError(String peer, RpcRequest request, boolean signalMethod, Throwable error) {
        boolean dispatch = error instanceof UnknownObjectException || error instanceof UnknownMethodException
                || error instanceof ArgumentMismatchException;
        if (dispatch) {
            long skipped = dispatchLines.tryAcquire();
            if (skipped >= 0) {
                log.info("call {}.{} from {} refused: {}{}", request.object(), request.method(), peer, error.getMessage(),
                        LogBudget.suffix(skipped));
            }
            return RpcCodec.encodeException(request.reqId(), PythonExceptions.toPython(error), List.of());
        }
        if (transferExceptions && !signalMethod) {
            log.debug("call {}.{} from {} failed, transferring the exception", request.object(), request.method(), peer, error);
            return RpcCodec.encodeException(request.reqId(), PythonExceptions.toPython(error), PythonExceptions.format(error));
        }
        log.warn("call {}.{} from {} failed (exception not transferred)", request.object(), request.method(), peer, error);
        PyObject opaque = new PyObject(PythonExceptions.BUILTINS, "RuntimeError",
                List.of("remote call failed; the server does not transfer exceptions"), null);
        return RpcCodec.encodeException(request.reqId(), opaque, List.of());
    }

    private void send(String peer, byte[] reply) {
        // TTL 0 like the original: a reply lost to a disconnect is sent again from the reply cache
        // when the client repeats the request after reconnecting
        messaging.send(peer, new Message(RpcIds.random(), reply, Duration.ZERO, 0));
    }

    private static Throwable unwrap(Throwable error) {
        if (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
            return error.getCause();
        }
        return error;
    }

    static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
