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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakemq.callback.Registration;
import org.snakemq.link.Connection;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.ReceiveHook;

/**
 * Serves registered objects to RPC clients, Java or Python ({@code snakemq.rpc.RpcClient}).
 *
 * <p>Requests arrive on the link's loop thread and are only decoded there; each method runs on the
 * executor (by default a bounded pool of daemon threads owned by this server; any executor works,
 * e.g. one virtual thread per task on Java 21). A method may return a {@link CompletionStage}: the reply
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
 * <p>Use one server per {@link ReceiveHook}: every server on a hook sees every request, and one that
 * lacks the object would answer with {@code NoInstanceError}.
 */
public final class RpcServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("snakemq.rpc");
    private static final int DEFAULT_THREADS = 32;
    private static final int DEFAULT_QUEUE = 10_000;
    private static final int REPLY_CACHE_SIZE = 4096;

    private final Messaging messaging;
    private final Registration route;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final Map<String, RemoteObject> objects = new ConcurrentHashMap<>();
    private final ReplyCache replies = new ReplyCache(REPLY_CACHE_SIZE);
    private volatile boolean transferExceptions = true;

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

    /** Serves {@code target}'s public methods under {@code name}, replacing an object of that name. Thread-safe. */
    public void register(String name, Object target) {
        objects.put(Objects.requireNonNull(name, "name"), new RemoteObject(name, Objects.requireNonNull(target, "target")));
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
        ReplyCache.Entry entry = new ReplyCache.Entry();
        if (key != null) {
            ReplyCache.Entry earlier = replies.putIfAbsent(key, entry);
            if (earlier != null) {
                log.debug("repeated req_id from {}: answering with the first request's reply", peer);
                earlier.reply.thenAccept(reply -> {
                    if (reply != null) {
                        send(peer, reply);
                    }
                });
                return;
            }
        }
        try {
            executor.execute(() -> run(peer, request, entry));
        } catch (RejectedExecutionException e) {
            log.warn("RPC server busy, refusing {}.{} from {}", request.object(), request.method(), peer);
            if (key != null) {
                replies.remove(key);
            }
            if (!request.signal()) {
                send(peer, RpcCodec.encodeException(request.reqId(),
                        PythonExceptions.toPython(new RpcException("RPC server busy")), List.of()));
            }
        }
    }

    /** Executor thread. */
    private void run(String peer, RpcRequest request, ReplyCache.Entry entry) {
        boolean signalMethod = false;
        try {
            RemoteObject object = objects.get(request.object());
            if (object == null) {
                throw new UnknownObjectException(request.object());
            }
            RemoteObject.Invocation invocation = object.bind(request.method(), request.args(), request.kwargs());
            signalMethod = invocation.signal();
            if (signalMethod != request.signal()) {
                log.warn("{}.{} is {}a signal but was called as a {}", request.object(), request.method(),
                        signalMethod ? "" : "not ", request.signal() ? "signal" : "call");
            }
            Object result = object.invoke(invocation);
            if (result instanceof CompletionStage<?> stage) {
                boolean signal = signalMethod;
                stage.whenComplete((value, error) -> finish(peer, request, entry, signal, value, unwrap(error)));
            } else {
                finish(peer, request, entry, signalMethod, result, null);
            }
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                entry.reply.complete(null);
                throw vme;
            }
            finish(peer, request, entry, signalMethod, null, t);
        }
    }

    private void finish(String peer, RpcRequest request, ReplyCache.Entry entry, boolean signalMethod,
                        Object value, Throwable error) {
        byte[] reply = null;
        try {
            if (request.signal()) {
                if (error != null) {
                    log.warn("signal {}.{} from {} failed", request.object(), request.method(), peer, error);
                }
                return;
            }
            if (error == null) {
                try {
                    reply = RpcCodec.encodeReturn(request.reqId(), value);
                } catch (RpcProtocolException e) {
                    error = e;
                }
            }
            if (error != null) {
                reply = encodeError(peer, request, signalMethod, error);
            }
            send(peer, reply);
        } finally {
            entry.reply.complete(reply);
        }
    }

    private byte[] encodeError(String peer, RpcRequest request, boolean signalMethod, Throwable error) {
        boolean dispatch = error instanceof UnknownObjectException || error instanceof UnknownMethodException
                || error instanceof ArgumentMismatchException;
        if (dispatch) {
            log.info("call {}.{} from {} refused: {}", request.object(), request.method(), peer, error.getMessage());
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
