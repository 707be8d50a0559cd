package org.snakemq.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.PooledByteBufAllocator;

import org.snakemq.link.Link;
import org.snakemq.messaging.Messaging;
import org.snakemq.packeter.Packeter;

/**
 * The child role of a hub: the real stack (Link + Packeter + Messaging, default options but the
 * listener's connection limits, {@link #MAX_CONNECTIONS}) on one
 * listener, counting identified peers and received messages, driven by commands from the parent:
 * {@code HEAP}, {@code WAIT <peers> <seconds>}, {@code WINDOW <seconds>}.
 */
final class Hub {

    /**
     * The hub's listener limits, above the link's defaults (10,000 in all, 1,000 from one address):
     * every load peer connects from 127.0.0.1, and a reconnect storm may briefly overlap old and new
     * connections.
     */
    static final int MAX_CONNECTIONS = 20_000;

    private Hub() {
    }

    static void roles(Map<String, BenchMain.RoleMain> roles) {
        roles.put("hub", Hub::run);
    }

    private static void run(Role role) throws Exception {
        Link link = new Link(TransientScenario.linkOptions().withMaxConnections(MAX_CONNECTIONS, MAX_CONNECTIONS));
        Messaging messaging = new Messaging("hub", "", new Packeter(link));
        TransientScenario.Counter received = new TransientScenario.Counter();
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger maxConnected = new AtomicInteger();
        AtomicInteger identifications = new AtomicInteger();
        AtomicInteger disconnects = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        messaging.onMessageReceived().add((conn, ident, message) -> received.increment());
        messaging.onConnect().add((conn, ident) -> {
            identifications.incrementAndGet();
            maxConnected.accumulateAndGet(connected.incrementAndGet(), Math::max);
        });
        messaging.onDisconnect().add((conn, ident) -> {
            connected.decrementAndGet();
            disconnects.incrementAndGet();
        });
        messaging.onError().add((conn, error) -> errors.incrementAndGet());
        InetSocketAddress bound = link.addListener(new InetSocketAddress("127.0.0.1", role.integer("port")));
        long heapIdle = Role.settledHeap();
        long directIdle = directBytes();
        link.start();
        long listening = System.nanoTime();
        Role.report("READY", "target", bound.getPort(), "heapIdle", heapIdle, "directIdle", directIdle,
                "transport", link.ioTransport());
        while (true) {
            String[] command = Role.command().trim().split("\\s+");
            switch (command[0]) {
                case "HEAP" -> {
                    long heap = Role.settledHeap();
                    long direct = directBytes();
                    long active = activeDirectBytes();
                    // what the loop thread's allocation cache holds, as opposed to buffers in use
                    java.util.concurrent.CompletableFuture<Void> trimmed = new java.util.concurrent.CompletableFuture<>();
                    link.execute(() -> {
                        PooledByteBufAllocator.DEFAULT.trimCurrentThreadCache();
                        trimmed.complete(null);
                    });
                    trimmed.get();
                    Role.report("HEAP", "heap", heap, "direct", direct, "directActive", active, "directActiveTrimmed",
                            activeDirectBytes(), "connected", connected.get());
                }
                case "WAIT" -> {
                    int peers = Integer.parseInt(command[1]);
                    boolean all = Role.await(() -> connected.get() >= peers,
                            Duration.ofSeconds(Long.parseLong(command[2])));
                    Role.report("CONNECTED", "all", all, "peers", connected.get(), "maxConnected", maxConnected.get(),
                            "millis", (System.nanoTime() - listening) / 1_000_000, "identifications",
                            identifications.get(), "disconnects", disconnects.get(), "errors", errors.get());
                }
                case "WINDOW" -> {
                    Role.Window w = Role.countOver(received::get, Double.parseDouble(command[1]));
                    Role.report("WINDOW", "count", w.count(), "nanos", w.nanos(), "cpuNanos", w.cpuNanos(),
                            "userNanos", w.userNanos(), "connected", connected.get(), "disconnects", disconnects.get());
                }
                case "SETTLE" -> {
                    // until nothing arrived for a second: the sockets' backlog is drained
                    long deadline = System.nanoTime() + (long) (Double.parseDouble(command[1]) * 1e9);
                    long last = -1;
                    while (received.get() != last && System.nanoTime() < deadline) {
                        last = received.get();
                        Role.sleepSeconds(1);
                    }
                    Role.report("SETTLED", "received", received.get(), "settled", received.get() == last);
                }
                case "COUNT" -> Role.report("COUNT", "received", received.get(), "connected", connected.get());
                default -> throw new IllegalArgumentException("unknown hub command " + command[0]);
            }
        }
    }

    /** Bytes of the pooled direct buffers allocated and not yet freed (thread caches included). */
    static long activeDirectBytes() {
        long bytes = 0;
        for (io.netty.buffer.PoolArenaMetric arena : PooledByteBufAllocator.DEFAULT.metric().directArenas()) {
            bytes += arena.numActiveBytes();
        }
        return bytes;
    }

    /** Direct memory held by Netty's pooled allocator (read buffers, write coalescing). */
    static long directBytes() {
        return PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
    }
}
