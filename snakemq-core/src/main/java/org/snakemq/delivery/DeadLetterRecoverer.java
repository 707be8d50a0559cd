package org.snakemq.delivery;

import java.time.Clock;
import java.util.Objects;

import org.snakemq.storage.DeadLetter;
import org.snakemq.storage.DeadLetterStore;

/**
 * The default recoverer: stores the failed message, with its error and attempts, as a dead letter.
 * Thread-safe; called on the handler thread ({@code snakemq-handler-*}) that ran the last attempt.
 */
public final class DeadLetterRecoverer implements DeliveryRecoverer {

    private final DeadLetterStore store;
    private final Clock clock;

    public DeadLetterRecoverer(DeadLetterStore store) {
        this(store, Clock.systemUTC());
    }

    DeadLetterRecoverer(DeadLetterStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = clock;
    }

    public DeadLetterStore store() {
        return store;
    }

    @Override
    public void recover(Delivery delivery, Throwable failure) {
        store.add(deadLetterOf(delivery, failure, clock));
    }

    static DeadLetter deadLetterOf(Delivery delivery, Throwable failure, Clock clock) {
        Throwable cause = Failures.unwrap(failure);
        return new DeadLetter(0, delivery.sender(), delivery.message().uuid(), delivery.message().data(),
                delivery.message().flags(), cause.getClass().getName(), cause.getMessage(), delivery.attempt(),
                clock.instant(), delivery.message().headers());
    }
}
