package org.snakemq.autoconfigure;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import org.snakemq.autoconfigure.lifecycle.GracefulStop;
import org.snakemq.callback.Registration;
import org.snakemq.link.Link;
import org.snakemq.link.ReconnectBackoff;
import org.snakemq.link.SslConfig;
import org.snakemq.messaging.Messaging;

/**
 * Runs the snakeMQ link with the application context: on start it binds the listeners, adds the
 * connectors and starts the link's loop thread ({@code snakemq-link-*}, owned by the {@link Link}
 * bean); on stop it shuts down gracefully:
 *
 * <ol>
 * <li>stops accepting connections (listeners unbound);</li>
 * <li>runs the {@linkplain GracefulStop graceful steps} (the RPC server stops taking requests and
 *     waits for running calls);</li>
 * <li>waits, within the rest of {@code snakemq.shutdown.grace-period}, until what is queued for
 *     connected peers has been delivered;</li>
 * <li>stops the link (connections closed, connectors stop dialling) and flushes the storage.</li>
 * </ol>
 *
 * Closing the beans afterwards frees the loop thread and closes the storage. The phase is late
 * ({@link #PHASE}): the peer starts after the rest of the application and stops before it.
 */
public final class SnakeMqLifecycle implements SmartLifecycle {

    /** Started with the web server, after the ordinary beans; stopped before them. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private static final Logger log = LoggerFactory.getLogger("snakemq.spring");
    private static final long MAX_WAIT_STEP_MILLIS = 100;

    private final Link link;
    private final Messaging messaging;
    private final List<Endpoint> listeners;
    private final List<Endpoint> connectors;
    private final Duration gracePeriod;
    private final List<GracefulStop> gracefulSteps;
    private final Object progress = new Object();
    private final List<Registration> registrations = new ArrayList<>();

    private final List<InetSocketAddress> bound = new ArrayList<>();
    private boolean connectorsAdded;
    private volatile boolean running;

    /**
     * One configured listener or connector.
     *
     * @param property          the property that configured it, for error messages
     * @param address           where to listen, or whom to dial
     * @param ssl               TLS settings, null for plaintext
     * @param reconnect         for connectors: the waits between attempts; null for listeners
     */
    public record Endpoint(String property, InetSocketAddress address, SslConfig ssl, ReconnectBackoff reconnect) {
    }

    public SnakeMqLifecycle(Link link, Messaging messaging, List<Endpoint> listeners, List<Endpoint> connectors,
                            Duration gracePeriod, List<GracefulStop> gracefulSteps) {
        this.link = Objects.requireNonNull(link, "link");
        this.messaging = Objects.requireNonNull(messaging, "messaging");
        this.listeners = List.copyOf(listeners);
        this.connectors = List.copyOf(connectors);
        this.gracePeriod = gracePeriod == null ? Duration.ZERO : gracePeriod;
        this.gracefulSteps = List.copyOf(gracefulSteps);
        Runnable wake = () -> {
            synchronized (progress) {
                progress.notifyAll();
            }
        };
        registrations.add(messaging.onMessageSent().add((c, ident, uuid) -> wake.run()));
        registrations.add(messaging.onMessageDropped().add((ident, uuid) -> wake.run()));
        registrations.add(messaging.onDisconnect().add((c, ident) -> wake.run()));
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        for (Endpoint listener : listeners) {
            try {
                bound.add(link.addListener(listener.address(), listener.ssl()));
            } catch (Exception e) { // Netty rethrows the bind failure (a checked exception) as it is
                unbind();
                throw new IllegalStateException(listener.property() + ": cannot listen on " + listener.address()
                        + ": " + e.getMessage(), e);
            }
        }
        if (!connectorsAdded) {
            for (Endpoint connector : connectors) {
                link.addConnector(connector.address(), connector.reconnect(), connector.ssl());
            }
            connectorsAdded = true;
        }
        link.start();
        running = true;
        log.info("snakeMQ peer {} running; listening on {}, connecting to {}", messaging.identity(), bound,
                connectors.stream().map(Endpoint::address).toList());
    }

    /** The configured connectors, in the order of {@code snakemq.connectors}. Any thread. */
    public List<Endpoint> connectors() {
        return connectors;
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        unbind();
        for (GracefulStop step : gracefulSteps) {
            try {
                step.stopGracefully(remaining(deadline));
            } catch (RuntimeException e) {
                log.warn("graceful stop step {} failed", step, e);
            }
        }
        awaitDelivered(deadline);
        link.stop();
        try {
            messaging.close();
        } catch (RuntimeException e) {
            log.warn("flushing the storage failed", e);
        }
        int left = messaging.queueSizes().values().stream().mapToInt(Integer::intValue).sum();
        if (left > 0) {
            log.info("snakeMQ peer {} stopped with {} messages queued{}", messaging.identity(), left,
                    messaging.storage() != null ? " (persistent ones stay stored)" : "");
        } else {
            log.info("snakeMQ peer {} stopped", messaging.identity());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The addresses the listeners are bound to while running (port 0 resolved). */
    public synchronized List<InetSocketAddress> boundAddresses() {
        return List.copyOf(bound);
    }

    private void unbind() {
        for (InetSocketAddress address : bound) {
            try {
                link.removeListener(address);
            } catch (RuntimeException e) {
                log.debug("removing listener {} failed", address, e);
            }
        }
        bound.clear();
    }

    /** Waits until nothing is queued or in flight for a connected peer, or the deadline passes. */
    private void awaitDelivered(long deadline) {
        while (true) {
            // messages sent from other threads reach their queue on the loop thread: let it catch up first
            if (!passLoop(deadline)) {
                return;
            }
            int pending = pendingForConnectedPeers();
            if (pending == 0) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                log.warn("grace period over with {} messages undelivered to connected peers", pending);
                return;
            }
            synchronized (progress) {
                try {
                    progress.wait(Math.max(1, Math.min(MAX_WAIT_STEP_MILLIS, TimeUnit.NANOSECONDS.toMillis(left))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Runs an empty task on the loop thread and waits for it; false when the deadline passed first. */
    private boolean passLoop(long deadline) {
        CountDownLatch passed = new CountDownLatch(1);
        try {
            messaging.transport().execute(passed::countDown);
            return passed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) { // the loop is gone
            return false;
        }
    }

    private int pendingForConnectedPeers() {
        int pending = 0;
        for (String peer : messaging.connectedPeers()) {
            pending += messaging.queueSize(peer);
        }
        return pending;
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
