package org.snakemq.sample;

import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.rpc.RpcException;

/**
 * Two-terminal mode: every {@code sample.chat.interval} this peer sends a persistent message to
 * {@code sample.chat.peer} and, with {@code sample.chat.call-clock}, calls alice's clock while she is
 * connected. Stop one peer with Ctrl-C and start it again: what the other sent meanwhile arrives.
 * Runs on its own thread ({@code sample-chat-*}); starts after the peer and stops before it.
 */
@Component
@ConditionalOnBooleanProperty("sample.chat.enabled")
public class Chatter implements SmartLifecycle {

    static final Duration TTL = Duration.ofMinutes(10);

    private final Messaging messaging;
    private final ClockCaller clockCaller;
    private final SampleProperties.Chat settings;
    private final Journal journal;
    private final Logger log;
    private ScheduledExecutorService executor;
    private int round;

    public Chatter(Messaging messaging, ClockCaller clockCaller, SampleProperties properties, Journal journal) {
        this.messaging = messaging;
        this.clockCaller = clockCaller;
        this.settings = properties.chat();
        this.journal = journal;
        this.log = LoggerFactory.getLogger("sample." + messaging.identity());
        if (settings.peer() == null || settings.peer().isBlank()) {
            throw new IllegalStateException("sample.chat.peer: the identity to chat with is not set");
        }
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("sample-chat-"));
        long interval = settings.interval().toMillis();
        executor.scheduleWithFixedDelay(this::round, interval, interval, TimeUnit.MILLISECONDS);
        log.info("sending a persistent message to {} every {} s", settings.peer(), settings.interval().toSeconds());
    }

    @Override
    public synchronized void stop() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    private void round() {
        try {
            round++;
            String peer = settings.peer();
            String text = "message #" + round + " from " + messaging.identity() + " at "
                    + LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
            messaging.send(peer, Message.of(text).withTtl(TTL).persistent());
            journal.add(messaging.identity(), Journal.Kind.SENT, peer, text);
            if (messaging.isConnected(peer)) {
                log.info("sent to {}: \"{}\"", peer, text);
            } else {
                log.info("sent to {}: \"{}\" ({} is offline: {} message(s) wait for {})", peer, text, peer,
                        QueueSizes.settled(messaging, peer, settings.interval()), peer);
            }
            if (settings.callClock() && messaging.isConnected("alice")) {
                clockCaller.callClock(round, round * 10);
            }
        } catch (RpcException e) {
            log.warn("RPC to alice failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("chat round failed", e);
        }
    }
}
