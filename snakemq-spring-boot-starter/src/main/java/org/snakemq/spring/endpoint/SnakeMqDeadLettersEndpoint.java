package org.snakemq.spring.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import org.snakemq.delivery.Deliveries;
import org.snakemq.storage.DeadLetter;

/**
 * The actuator endpoint {@code snakemqdeadletters}: lists dead letters (GET), shows one
 * ({@code GET /{id}}), replays one to the listeners ({@code POST /{id}}: deleted when they complete
 * it) and deletes one ({@code DELETE /{id}}).
 */
@Endpoint(id = "snakemqdeadletters")
public class SnakeMqDeadLettersEndpoint {

    private static final int LIST_LIMIT = 1_000;
    private static final Duration REPLAY_WAIT = Duration.ofSeconds(30);

    private final Supplier<Deliveries> deliveries;

    public SnakeMqDeadLettersEndpoint(Supplier<Deliveries> deliveries) {
        this.deliveries = deliveries;
    }

    /** The oldest dead letters, at most 1,000, with their data in Base64. */
    @ReadOperation
    public DeadLetters deadLetters() {
        Deliveries d = deliveries.get();
        List<Entry> entries = d.listDeadLetters(LIST_LIMIT).stream().map(Entry::of).toList();
        return new DeadLetters(d.deadLetters().count(), entries);
    }

    @ReadOperation
    public Entry deadLetter(@Selector long id) {
        return deliveries.get().deadLetters().get(id).map(Entry::of).orElse(null);
    }

    /** Hands the dead letter to the listeners again and waits up to 30 s for the outcome. */
    @WriteOperation
    public ReplayResult replay(@Selector long id) {
        try {
            deliveries.get().replay(id).get(REPLAY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return new ReplayResult(id, true, "replayed and deleted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new ReplayResult(id, false, cause.getClass().getName() + ": " + cause.getMessage());
        } catch (TimeoutException e) {
            return new ReplayResult(id, false, "still running after " + REPLAY_WAIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ReplayResult(id, false, "interrupted");
        }
    }

    @DeleteOperation
    public boolean delete(@Selector long id) {
        return deliveries.get().deleteDeadLetter(id);
    }

    /** The count of all dead letters and the first of them. */
    public record DeadLetters(long count, List<Entry> deadLetters) {
    }

    /** One dead letter as the endpoint shows it. */
    public record Entry(long id, String sender, String uuid, String dataBase64, int flags, String errorClass,
                        String errorMessage, int attempts, Instant failedAt) {
        static Entry of(DeadLetter letter) {
            return new Entry(letter.id(), letter.sender(), letter.uuid().toString(),
                    Base64.getEncoder().encodeToString(letter.data()), letter.flags(), letter.errorClass(),
                    letter.errorMessage(), letter.attempts(), letter.failedAt());
        }
    }

    /** What a replay did. */
    public record ReplayResult(long id, boolean replayed, String outcome) {
    }
}
