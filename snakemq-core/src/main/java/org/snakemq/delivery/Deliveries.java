package org.snakemq.delivery;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiPredicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakemq.internal.LogBudget;
import org.snakemq.message.Message;
import org.snakemq.messaging.InboundGate;
import org.snakemq.messaging.Messaging;
import org.snakemq.storage.DeadLetter;
import org.snakemq.storage.DeadLetterStore;
import org.snakemq.storage.InboxStore;
import org.snakemq.storage.MemoryDeliveryStore;
import org.snakemq.storage.SqlDeliveryStore;

/**
 * Delivery into the application: received messages are handed to a handler, and a message is
 * acknowledged to its sender only once the handler completed it. A failed message is retried with
 * back-off ({@link RetryPolicy}) and then handed to a {@link DeliveryRecoverer} (by default kept as a
 * dead letter, which can be listed, {@linkplain #replay replayed} and deleted). Per sender, messages
 * are handled one at a time in order; different senders are handled in parallel. The number of
 * messages waiting for a handler is bounded per sender and in total: when a bound is reached,
 * Messaging stops reading that sender's connection, so the sender's window fills and it waits.
 *
 * <pre>{@code
 * Deliveries deliveries = Deliveries.builder()
 *         .handler(delivery -> orders.save(delivery.message().text()))
 *         .deadLetters(SqlDeliveryStore.sqlite(Path.of("bob.db")))
 *         .attachTo(messaging);
 * }</pre>
 *
 * <p>A {@link DeliveryAccessPolicy} decides which senders' messages reach the handler; a refused
 * message is acknowledged and counted, never handled or dead-lettered.
 *
 * <p>With an {@link InboxStore} the ids of completed messages are recorded before their
 * acknowledgement is sent and loaded at start-up, so a restarted receiver does not hand over again a
 * message it completed before a crash. With a {@link TransactionalMessageHandler} the handler runs in
 * a transaction of the {@link SqlDeliveryStore}'s database that also records the inbox row:
 * exactly-once processing.
 *
 * <p>Threads: handlers and the recoverer run on the handler executor; everything else is
 * thread-safe. Attach before the link runs.
 */
public final class Deliveries implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("snakemq.delivery");
    /** Messages one thread handles for one sender before it lets other senders' lanes have a turn. */
    private static final int FAIR_BATCH = 64;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Handling handling;
    private final RetryPolicy retry;
    private final DeliveryRecoverer recoverer;
    private final DeadLetterStore deadLetters;
    private final InboxStore inbox;
    private final BiPredicate<String, Message> skip;
    private final DeliveryAccessPolicy accessPolicy;
    private final int maxPendingPerSender;
    private final int maxPending;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final ScheduledExecutorService timer;
    private final Clock clock;

    private final Map<String, SenderLane> lanes = new ConcurrentHashMap<>();
    private final Map<String, List<UUID>> completedBefore;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean someoneWaitsForRoom;
    private volatile boolean closed;
    private volatile InboundGate.Completions completions;

    private final LongAdder completedCount = new LongAdder();
    private final LongAdder failureCount = new LongAdder();
    private final LongAdder retryCount = new LongAdder();
    private final LongAdder recoveredCount = new LongAdder();
    private final LongAdder recoveryFailureCount = new LongAdder();
    private final LongAdder refusedCount = new LongAdder();
    private final LogBudget refusalLog = new LogBudget(20, Duration.ofSeconds(1));

    private Deliveries(Builder b) {
        this.handling = Objects.requireNonNull(b.handling, "a handler is required");
        this.retry = b.retry;
        this.deadLetters = b.deadLetters != null ? b.deadLetters : new MemoryDeliveryStore();
        this.recoverer = b.recoverer != null ? b.recoverer : new DeadLetterRecoverer(deadLetters);
        this.inbox = b.inbox;
        this.skip = b.skip;
        this.accessPolicy = b.accessPolicy;
        this.maxPendingPerSender = b.maxPendingPerSender;
        this.maxPending = b.maxPending;
        this.clock = b.clock;
        if (b.executor != null) {
            this.executor = b.executor;
            this.ownedExecutor = null;
        } else {
            this.ownedExecutor = Executors.newFixedThreadPool(b.threads, threads("snakemq-handler-"));
            this.executor = ownedExecutor;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(threads("snakemq-delivery-timer-"));
        this.completedBefore = inbox == null ? new ConcurrentHashMap<>()
                : new ConcurrentHashMap<>(inbox.loadCompleted(b.inboxPerSender));
        if (!completedBefore.isEmpty()) {
            int ids = completedBefore.values().stream().mapToInt(List::size).sum();
            log.info("inbox: {} completed messages of {} senders remembered", ids, completedBefore.size());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The store that keeps dead letters (the default recoverer's). */
    public DeadLetterStore deadLetters() {
        return deadLetters;
    }

    /** Dead letters, oldest first, at most {@code limit}. */
    public List<DeadLetter> listDeadLetters(int limit) {
        return deadLetters.list(limit);
    }

    /** Deletes a dead letter; false when there was none with that id. */
    public boolean deleteDeadLetter(long id) {
        return deadLetters.delete(id);
    }

    /**
     * Hands a dead letter to the handler once more, on a handler thread. When the handler completes
     * it, the dead letter is deleted and the future completes; when it fails, the dead letter stays
     * and the future fails with the handler's error. A replay is not ordered with live messages.
     */
    public CompletableFuture<Void> replay(long deadLetterId) {
        DeadLetter letter = deadLetters.get(deadLetterId).orElse(null);
        if (letter == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no dead letter #" + deadLetterId));
        }
        Message message = new Message(letter.uuid(), letter.data(), null, letter.flags(), letter.headers());
        Delivery delivery = new Delivery(letter.sender(), message, 1, clock.instant());
        CompletableFuture<Void> result = new CompletableFuture<>();
        executor.execute(() -> start(delivery).whenComplete((value, failure) -> {
            if (failure != null) {
                log.warn("replay of dead letter #{} failed: {}; kept", deadLetterId, Failures.describe(failure));
                result.completeExceptionally(Failures.unwrap(failure));
                return;
            }
            deadLetters.delete(deadLetterId);
            log.info("dead letter #{} from {} replayed and deleted", deadLetterId, letter.sender());
            result.complete(null);
        }));
        return result;
    }

    public DeliveryStats stats() {
        return new DeliveryStats(completedCount.sum(), failureCount.sum(), retryCount.sum(), recoveredCount.sum(),
                recoveryFailureCount.sum(), refusedCount.sum(), pending.get());
    }

    /** Messages waiting for or in a handler, now. */
    public int pending() {
        return pending.get();
    }

    /**
     * Stops handing over messages and waits up to {@code timeout} for handlers that are running.
     * Messages not completed are not acknowledged: their senders send them again later.
     *
     * @return true when no handler was running any more
     */
    public boolean close(Duration timeout) {
        closed = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean idle;
        synchronized (running) {
            while (!(idle = running.get() == 0) && System.nanoTime() < deadline) {
                try {
                    running.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        timer.shutdownNow();
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
        if (!idle) {
            log.warn("{} handlers still running after {}; their messages are not acknowledged", running.get(), timeout);
        }
        return idle;
    }

    /** {@link #close(Duration)} with 10 s. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    // ---------------------------------------------------------------- the gate

    private final class Gate implements InboundGate {
        @Override
        public boolean wants(String sender, Message message) {
            if (skip.test(sender, message)) {
                return false;
            }
            // a refused message is not wanted: Messaging acknowledges it at once
            return permitted(sender, message);
        }

        @Override
        public void accept(String sender, Message message) {
            SenderLane lane = lanes.computeIfAbsent(sender, SenderLane::new);
            pending.incrementAndGet();
            if (lane.add(message, clock.instant())) {
                submit(lane);
            }
        }

        @Override
        public boolean hasRoom(String sender) {
            if (roomFor(sender)) {
                return true;
            }
            // raise the flag, then look again: a handler that freed the room before it could see the
            // flag shows in the counts now, and one that frees it later sees the flag and wakes the reader
            someoneWaitsForRoom = true;
            return roomFor(sender);
        }

        private boolean roomFor(String sender) {
            SenderLane lane = lanes.get(sender);
            return pending.get() < maxPending && (lane == null || lane.count() < maxPendingPerSender);
        }

        @Override
        public Collection<UUID> completedBefore(String sender) {
            List<UUID> ids = completedBefore.remove(sender);
            return ids == null ? List.of() : ids;
        }

        @Override
        public void bind(Completions value) {
            completions = value;
        }
    }

    /** Asks the access policy; a refusal (or a policy that throws) is counted and logged. Loop thread. */
    private boolean permitted(String sender, Message message) {
        String failure = null;
        try {
            if (accessPolicy.permits(sender, message)) {
                return true;
            }
        } catch (RuntimeException e) {
            failure = Failures.describe(e);
        }
        refusedCount.increment();
        long suppressed = refusalLog.tryAcquire();
        if (suppressed >= 0) {
            log.warn("message {} from {} refused by the delivery access policy{}; acknowledged, not handled{}",
                    message.uuid(), sender, failure == null ? "" : " (it failed: " + failure + ")",
                    LogBudget.suffix(suppressed));
        }
        return false;
    }

    private void submit(SenderLane lane) {
        if (closed) {
            return;
        }
        try {
            executor.execute(() -> serve(lane));
        } catch (RejectedExecutionException e) {
            if (!closed) {
                log.error("the handler executor refused work for {}; its messages wait", lane.sender, e);
            }
        }
    }

    /** Handles the head of a lane, and the messages after it, on a handler thread. */
    private void serve(SenderLane lane) {
        running.incrementAndGet();
        try {
            for (int i = 0; i < FAIR_BATCH; i++) {
                if (closed) {
                    return;
                }
                SenderLane.Item item = lane.head();
                if (item == null) {
                    return;
                }
                if (item.exhausted) {
                    if (!recover(lane, item)) {
                        return;
                    }
                    continue;
                }
                if (!attempt(lane, item)) {
                    return; // waits for a retry delay or an asynchronous completion
                }
            }
            submit(lane);
        } finally {
            if (running.decrementAndGet() == 0) {
                synchronized (running) {
                    running.notifyAll();
                }
            }
        }
    }

    /**
     * Calls the handler for the head of a lane.
     *
     * @return true when the lane may go on at once; false when it waits (retry, async completion)
     */
    private boolean attempt(SenderLane lane, SenderLane.Item item) {
        item.attempts++;
        if (item.attempts > 1) {
            retryCount.increment();
        }
        Delivery delivery = new Delivery(lane.sender, item.message, item.attempts, item.receivedAt);
        CompletionStage<?> stage = start(delivery);
        if (stage instanceof CompletableFuture<?> future && future.isDone()) {
            Throwable failure = failureOf(future);
            if (failure == null) {
                succeeded(lane, item, handling.recordsInbox());
                return true;
            }
            return failed(lane, item, failure);
        }
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                succeeded(lane, item, handling.recordsInbox());
                submit(lane);
            } else if (failed(lane, item, failure)) {
                submit(lane);
            }
        });
        return false;
    }

    /** Calls the handler; a throw becomes a failed stage like an asynchronous failure. */
    private CompletionStage<?> start(Delivery delivery) {
        try {
            return handling.start(delivery);
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.join();
            return null;
        } catch (Throwable t) {
            return Failures.unwrap(t);
        }
    }

    /** @return true when the lane may go on at once (to the recoverer), false when a retry is scheduled */
    private boolean failed(SenderLane lane, SenderLane.Item item, Throwable failure) {
        failureCount.increment();
        item.lastFailure = Failures.unwrap(failure);
        if (item.attempts < retry.maxAttempts()) {
            Duration delay = retry.delayAfter(item.attempts);
            log.info("handling message {} from {} failed (attempt {} of {}): {}; retrying in {} ms",
                    item.message.uuid(), lane.sender, item.attempts, retry.maxAttempts(),
                    Failures.describe(failure), delay.toMillis());
            later(lane, delay);
            return false;
        }
        item.exhausted = true;
        return true;
    }

    private void later(SenderLane lane, Duration delay) {
        if (closed) {
            return;
        }
        try {
            timer.schedule(() -> submit(lane), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    /** @return true when the recoverer took the message */
    private boolean recover(SenderLane lane, SenderLane.Item item) {
        Delivery delivery = new Delivery(lane.sender, item.message, Math.max(1, item.attempts), item.receivedAt);
        try {
            recoverer.recover(delivery, item.lastFailure);
        } catch (Throwable t) {
            recoveryFailureCount.increment();
            Duration delay = retry.maxDelay().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : retry.maxDelay();
            log.error("recoverer failed on message {} from {}; the message is kept and offered again in {} ms",
                    item.message.uuid(), lane.sender, delay.toMillis(), t);
            later(lane, delay);
            return false;
        }
        recoveredCount.increment();
        log.warn("message {} from {} failed {} attempts, last with {}; handed to the recoverer ({})",
                item.message.uuid(), lane.sender, item.attempts, Failures.describe(item.lastFailure),
                recoverer instanceof DeadLetterRecoverer ? "dead-lettered" : recoverer.getClass().getName());
        succeeded(lane, item, false);
        return true;
    }

    private void succeeded(SenderLane lane, SenderLane.Item item, boolean recorded) {
        if (!item.exhausted) {
            completedCount.increment();
        }
        lane.removeHead(item);
        UUID id = item.message.uuid();
        if (recorded || inbox == null) {
            finished(lane, id);
            return;
        }
        inbox.record(lane.sender, id).whenComplete((v, failure) -> {
            if (failure != null) {
                log.warn("message {} from {} is done but its inbox record failed ({}); acknowledged anyway",
                        id, lane.sender, Failures.describe(failure));
            }
            finished(lane, id);
        });
    }

    private void finished(SenderLane lane, UUID id) {
        InboundGate.Completions c = completions;
        if (c != null) {
            c.completed(lane.sender, id);
        }
        lane.release();
        pending.decrementAndGet();
        if (someoneWaitsForRoom && c != null) {
            someoneWaitsForRoom = false;
            c.roomAvailable();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---------------------------------------------------------------- handlers

    /** A handler of one of the three kinds, as a stage. */
    private interface Handling {
        CompletionStage<?> start(Delivery delivery) throws Exception;

        /** Whether a completed attempt recorded the inbox row itself (in its transaction). */
        default boolean recordsInbox() {
            return false;
        }
    }

    private record Transactional(TransactionalMessageHandler handler, SqlDeliveryStore store) implements Handling {
        @Override
        public CompletionStage<?> start(Delivery delivery) throws Exception {
            try (Connection tx = store.openTransaction()) {
                try {
                    handler.handle(delivery, tx);
                    store.recordIn(tx, delivery.sender(), delivery.message().uuid());
                    tx.commit();
                } catch (Throwable t) {
                    try {
                        tx.rollback();
                    } catch (SQLException e) {
                        t.addSuppressed(e);
                    }
                    throw t;
                }
            }
            return DONE;
        }

        @Override
        public boolean recordsInbox() {
            return true;
        }
    }

    /**
     * Builds {@link Deliveries}; only the handler is required.
     * Not thread-safe: configure it on one thread; the built {@link Deliveries} is thread-safe.
     */
    public static final class Builder {
        private Handling handling;
        private RetryPolicy retry = RetryPolicy.defaults();
        private DeliveryRecoverer recoverer;
        private DeadLetterStore deadLetters;
        private InboxStore inbox;
        private BiPredicate<String, Message> skip = (sender, message) -> false;
        private DeliveryAccessPolicy accessPolicy = DeliveryAccessPolicy.permitAll();
        private int maxPendingPerSender = 1_000;
        private int maxPending = 10_000;
        private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int inboxPerSender = 16_384;
        private Executor executor;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** A handler that completes a delivery by returning. */
        public Builder handler(MessageHandler handler) {
            Objects.requireNonNull(handler, "handler");
            this.handling = delivery -> {
                handler.handle(delivery);
                return DONE;
            };
            return this;
        }

        /** A handler that completes a delivery when its stage completes. */
        public Builder asyncHandler(AsyncMessageHandler handler) {
            Objects.requireNonNull(handler, "handler");
            this.handling = delivery -> {
                CompletionStage<?> stage = handler.handle(delivery);
                if (stage == null) {
                    throw new IllegalStateException("the async handler returned null instead of a stage");
                }
                return stage;
            };
            return this;
        }

        /**
         * A handler that runs in a transaction of the store's database, which also records the inbox
         * row; the store is then the inbox (and, unless set otherwise, the dead-letter store).
         */
        public Builder transactionalHandler(TransactionalMessageHandler handler, SqlDeliveryStore store) {
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(store, "store");
            this.handling = new Transactional(handler, store);
            this.inbox = store;
            if (deadLetters == null) {
                deadLetters = store;
            }
            return this;
        }

        public Builder retry(RetryPolicy value) {
            this.retry = Objects.requireNonNull(value, "retry");
            return this;
        }

        /** Takes messages that failed every attempt; by default they become dead letters. */
        public Builder recoverer(DeliveryRecoverer value) {
            this.recoverer = Objects.requireNonNull(value, "recoverer");
            return this;
        }

        /** Where the default recoverer keeps dead letters; in memory when not set. */
        public Builder deadLetters(DeadLetterStore value) {
            this.deadLetters = Objects.requireNonNull(value, "deadLetters");
            return this;
        }

        /** The durable inbox; none when not set (then a restarted receiver may hand over a repeat). */
        public Builder inbox(InboxStore value) {
            this.inbox = Objects.requireNonNull(value, "inbox");
            return this;
        }

        /** How many completed ids per sender are loaded from the inbox at start (default 16,384). */
        public Builder inboxPerSender(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("inboxPerSender must be positive: " + value);
            }
            this.inboxPerSender = value;
            return this;
        }

        /** Messages this predicate matches are not handled here (acknowledged as before, e.g. RPC). */
        public Builder skip(BiPredicate<String, Message> value) {
            this.skip = Objects.requireNonNull(value, "skip");
            return this;
        }

        /**
         * Which senders' messages are handed to the handler (default: every sender's). A refused
         * message is acknowledged, logged at WARN (at most 20 lines a second) and counted in
         * {@link DeliveryStats#refused()}; it is not handled, retried or dead-lettered. Messages the
         * {@link #skip} predicate matches are not asked about. The policy runs on the link's loop
         * thread; one that throws refuses.
         */
        public Builder accessPolicy(DeliveryAccessPolicy value) {
            this.accessPolicy = Objects.requireNonNull(value, "accessPolicy");
            return this;
        }

        /**
         * Bounds on messages accepted and not yet completed: per sender (default 1,000) and in total
         * (default 10,000). A connection is read again once its sender is below both.
         */
        public Builder maxPending(int perSender, int total) {
            if (perSender <= 0 || total <= 0) {
                throw new IllegalArgumentException("pending limits must be positive: " + perSender + ", " + total);
            }
            this.maxPendingPerSender = perSender;
            this.maxPending = total;
            return this;
        }

        /** Threads of the default handler executor (default: the processors, at least 2). */
        public Builder threads(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("threads must be positive: " + value);
            }
            this.threads = value;
            return this;
        }

        /** Runs handlers on this executor instead of an own pool (it is not shut down by close). */
        public Builder executor(Executor value) {
            this.executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** Builds the deliveries and installs them as the messaging's inbound gate. */
        public Deliveries attachTo(Messaging messaging) {
            Deliveries deliveries = new Deliveries(this);
            messaging.setInboundGate(deliveries.new Gate());
            return deliveries;
        }
    }
}
