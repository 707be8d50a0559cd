package org.snakemq.test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.ReceiveHook;
import org.snakemq.packeter.Packeter;
import org.snakemq.rpc.RpcClient;
import org.snakemq.rpc.RpcServer;

/**
 * A remote snakeMQ peer for tests: its own {@link Link} and {@link Messaging} on loopback, listening
 * on a free port, recording every message it receives and every one it delivered, with waits that
 * fail with an {@link AssertionError} after a timeout (10 s unless {@link #timeout(Duration)} says
 * otherwise). It can serve objects over RPC ({@link #serve}) and call the application's
 * ({@link #rpcClient}); RPC traffic is not recorded as received messages.
 *
 * <p>With {@link AutoConfigureSnakeMqTestPeer} (or {@link SnakeMqTest}) one is started before the
 * application context, the application is given a connector to it, and it is a bean of the context
 * (closed with it). Alone: {@code try (SnakeMqTestPeer alice = SnakeMqTestPeer.start("alice")) {...}}.
 *
 * <p>Threads: every method may be called from any thread; the recording runs on the peer's own
 * loop thread ({@code snakemq-link-N}), RPC methods it serves on the RPC server's executor.
 */
public final class SnakeMqTestPeer implements AutoCloseable {

    /** How long a wait lasts unless {@link #timeout(Duration)} changes it. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Link link;
    private final Messaging messaging;
    private final ReceiveHook hook;
    private final InetSocketAddress address;
    private final Object changed = new Object();
    private final List<Received> received = new ArrayList<>(); // guarded by changed
    private final Set<UUID> delivered = ConcurrentHashMap.newKeySet();
    private volatile Duration timeout = DEFAULT_TIMEOUT;
    private RpcServer rpcServer; // guarded by this
    private RpcClient rpcClient; // guarded by this

    private SnakeMqTestPeer(String identity) {
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("a test peer needs an identity");
        }
        link = new Link();
        messaging = new Messaging(identity, "", new Packeter(link));
        hook = new ReceiveHook(messaging);
        messaging.onMessageReceived().add((connection, sender, message) -> {
            if (!hook.routes(message)) {
                changed(() -> received.add(new Received(sender, message)));
            }
        });
        messaging.onMessageSent().add((connection, peer, uuid) -> changed(() -> delivered.add(uuid)));
        messaging.onConnect().add((connection, peer) -> changed(() -> { }));
        messaging.onDisconnect().add((connection, peer) -> changed(() -> { }));
        try {
            address = link.addListener(new InetSocketAddress("127.0.0.1", 0));
            link.start();
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** A peer with this identity, listening on 127.0.0.1 at a free port, its link running. */
    public static SnakeMqTestPeer start(String identity) {
        return new SnakeMqTestPeer(identity);
    }

    public String identity() {
        return messaging.identity();
    }

    /** The address it listens on: 127.0.0.1 and the port it was given. */
    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    /** The peer's messaging, for what the methods here do not cover. */
    public Messaging messaging() {
        return messaging;
    }

    /** Sets how long the waits of this peer last; returns this peer. */
    public SnakeMqTestPeer timeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    /** Also dials {@code address} (an application's listener), redialling every 100 ms while it is away. */
    public SnakeMqTestPeer connectTo(InetSocketAddress address) {
        link.addConnector(Objects.requireNonNull(address, "address"), Duration.ofMillis(100), null);
        return this;
    }

    /** Queues a text message (UTF-8) for {@code to}; returns the message, for {@link #awaitDelivered}. */
    public Message send(String to, String text) {
        return send(to, Message.of(text));
    }

    /** Queues a message for {@code to}; it waits in the queue while {@code to} is not connected. */
    public Message send(String to, Message message) {
        messaging.send(to, message);
        return message;
    }

    /** Serves {@code target}'s public methods over RPC as {@code object}, as an application's {@code @SnakeRpc} bean. */
    public synchronized SnakeMqTestPeer serve(String object, Object target) {
        if (rpcServer == null) {
            rpcServer = new RpcServer(hook);
        }
        rpcServer.register(object, target);
        return this;
    }

    /** A client proxy for the object {@code object} that {@code peer} serves (the application, say). */
    public synchronized <T> T rpcClient(String peer, String object, Class<T> api) {
        if (rpcClient == null) {
            rpcClient = new RpcClient(hook);
            rpcClient.setDefaultTimeout(timeout);
        }
        return rpcClient.proxy(peer, object, api);
    }

    /** Whether {@code peer} is connected and identified now. */
    public boolean isConnected(String peer) {
        return messaging.isConnected(peer);
    }

    /** The messages received so far, oldest first (not the RPC traffic). */
    public List<Received> received() {
        synchronized (changed) {
            return List.copyOf(received);
        }
    }

    /** Forgets what was received and delivered so far (the connections stay). */
    public void reset() {
        changed(() -> {
            received.clear();
            delivered.clear();
        });
    }

    /** Waits until {@code peer} is connected. */
    public void awaitConnected(String peer) {
        await(() -> messaging.isConnected(peer), () -> peer + " did not connect to " + identity()
                + "; connected: " + messaging.connectedPeers());
    }

    /** Waits until {@code peer} is not connected. */
    public void awaitDisconnected(String peer) {
        await(() -> !messaging.isConnected(peer), () -> peer + " is still connected to " + identity());
    }

    /** Waits for the first message that matches and returns it (one received before the call counts). */
    public Received awaitMessage(Predicate<Received> matching) {
        Objects.requireNonNull(matching, "matching");
        Received[] found = new Received[1];
        await(() -> {
            for (Received r : received) {
                if (matching.test(r)) {
                    found[0] = r;
                    return true;
                }
            }
            return false;
        }, () -> "no matching message reached " + identity() + "; received: " + received);
        return found[0];
    }

    /** Waits for the first message from {@code sender}. */
    public Received awaitMessageFrom(String sender) {
        return awaitMessage(r -> r.sender().equals(sender));
    }

    /** Waits for the first message from {@code sender} whose text is {@code text}. */
    public Received awaitMessage(String sender, String text) {
        return awaitMessage(r -> r.sender().equals(sender) && r.text().equals(text));
    }

    /** Waits until at least {@code count} messages were received and returns the first {@code count}. */
    public List<Received> awaitMessages(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, not " + count);
        }
        await(() -> received.size() >= count, () -> identity() + " received " + received.size() + " of "
                + count + " messages: " + received);
        return received().subList(0, count);
    }

    /**
     * Waits until {@code message}, sent by this peer, was delivered: acknowledged by its receiver
     * once the receiver's handlers returned.
     */
    public void awaitDelivered(Message message) {
        UUID id = message.uuid();
        await(() -> delivered.contains(id), () -> "message " + id + " from " + identity()
                + " was not delivered; waiting in queues: " + messaging.queueSizes());
    }

    @Override
    public void close() {
        synchronized (this) {
            if (rpcClient != null) {
                rpcClient.close();
            }
            if (rpcServer != null) {
                rpcServer.close();
            }
        }
        link.close();
    }

    @Override
    public String toString() {
        return "SnakeMqTestPeer[" + identity() + " on " + address + "]";
    }

    private void changed(Runnable change) {
        synchronized (changed) {
            change.run();
            changed.notifyAll();
        }
    }

    /** Waits on the peer's changes until {@code condition} holds; evaluated while holding the lock. */
    private void await(BooleanSupplier condition, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(failure.get() + " (waited " + timeout.toMillis() + " ms)");
                }
                try {
                    // connection state changes are signalled too; the bound covers a missed one
                    TimeUnit.NANOSECONDS.timedWait(changed, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting: " + failure.get(), e);
                }
            }
        }
    }

    /**
     * A message this peer received.
     *
     * @param sender the identity of the peer that sent it
     */
    public record Received(String sender, Message message) {

        /** The data as UTF-8 text. */
        public String text() {
            return new String(message.data(), StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return sender + ": \"" + text() + "\"";
        }
    }
}
