package org.snakemq.spring.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import org.snakemq.delivery.Deliveries;
import org.snakemq.link.Link;
import org.snakemq.messaging.Messaging;
import org.snakemq.storage.DeadLetter;

/**
 * The actuator endpoint {@code snakemq}: what the local peer is and does, and an operator's actions
 * on it.
 *
 * <table>
 * <caption>Operations (paths under {@code /actuator/snakemq})</caption>
 * <tr><th>request</th><th>does</th></tr>
 * <tr><td>{@code GET /}</td><td>identity, listening addresses, peers with queue depth and in-flight count, dead-letter count</td></tr>
 * <tr><td>{@code GET /peers}, {@code GET /peers/{peer}}</td><td>every known peer (connected or with a queue), or one</td></tr>
 * <tr><td>{@code GET /deadletters}, {@code GET /deadletters/{id}}</td><td>the oldest dead letters (at most 1,000), or one</td></tr>
 * <tr><td>{@code DELETE /peers/{peer}}</td><td>disconnects the peer; its queue stays, and it may connect again</td></tr>
 * <tr><td>{@code DELETE /queues/{peer}}</td><td>purges the messages waiting for the peer (not those in flight)</td></tr>
 * <tr><td>{@code POST /deadletters/{id}}</td><td>replays a dead letter to the listeners (deleted when they complete it)</td></tr>
 * <tr><td>{@code DELETE /deadletters/{id}}</td><td>deletes a dead letter</td></tr>
 * </table>
 *
 * <p>Read-only by default: the write and delete operations need
 * {@code management.endpoint.snakemq.access=unrestricted}; over the web, the endpoint is exposed only
 * when {@code management.endpoints.web.exposure.include} names it. Operations run on the caller's
 * thread (a web server's request thread); the actions wait up to 30 s for the link's loop thread or
 * the listeners.
 */
@Endpoint(id = "snakemq", defaultAccess = Access.READ_ONLY)
public class SnakeMqEndpoint {

    /** Most peers and dead letters listed in one answer. */
    public static final int LIST_LIMIT = 1_000;

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Link link;
    private final Messaging messaging;
    private final Supplier<Deliveries> deliveries;

    /**
     * @param deliveries the listener container's deliveries, or a supplier of null when delivery is
     *                   off (then there are no dead letters to show)
     */
    public SnakeMqEndpoint(Link link, Messaging messaging, Supplier<Deliveries> deliveries) {
        this.link = Objects.requireNonNull(link, "link");
        this.messaging = Objects.requireNonNull(messaging, "messaging");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
    }

    @ReadOperation
    public Overview overview() {
        Deliveries d = deliveries.get();
        List<PeerStatus> peers = peers();
        return new Overview(messaging.identity(), link.isRunning(),
                link.listenerAddresses().stream().map(String::valueOf).sorted().toList(), link.connections().size(),
                peers.size(), limited(peers), d == null ? null : d.deadLetters().count());
    }

    /** {@code peers} or {@code deadletters}; anything else is not found. */
    @ReadOperation
    public Object section(@Selector String section) {
        return switch (section) {
            case "peers" -> limited(peers());
            case "deadletters" -> {
                Deliveries d = deliveries.get();
                yield d == null ? null : new DeadLetters(d.deadLetters().count(),
                        d.listDeadLetters(LIST_LIMIT).stream().map(DeadLetterEntry::of).toList());
            }
            default -> null;
        };
    }

    /** {@code peers/{peer}} or {@code deadletters/{id}}; not found for an unknown one. */
    @ReadOperation
    public Object item(@Selector String section, @Selector String name) {
        return switch (section) {
            case "peers" -> {
                PeerStatus status = status(name);
                yield status.connected() || status.queueDepth() > 0 ? status : null;
            }
            case "deadletters" -> {
                Deliveries d = deliveries.get();
                yield d == null ? null : d.deadLetters().get(deadLetterId(name)).map(DeadLetterEntry::of).orElse(null);
            }
            default -> null;
        };
    }

    /** {@code POST deadletters/{id}}: replays the dead letter and waits up to 30 s for the outcome. */
    @WriteOperation
    public ReplayResult replay(@Selector String section, @Selector String name) {
        if (!section.equals("deadletters")) {
            throw new InvalidEndpointRequestException("POST is for deadletters/{id} (replay), not " + section,
                    "POST is for deadletters/{id}");
        }
        long id = deadLetterId(name);
        try {
            requireDeliveries().replay(id).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return new ReplayResult(id, true, "replayed and deleted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new ReplayResult(id, false, cause.getClass().getName() + ": " + cause.getMessage());
        } catch (TimeoutException e) {
            return new ReplayResult(id, false, "still running after " + WAIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ReplayResult(id, false, "interrupted");
        }
    }

    /**
     * {@code DELETE peers/{peer}} disconnects the peer, {@code DELETE queues/{peer}} purges its
     * queue, {@code DELETE deadletters/{id}} deletes the dead letter.
     */
    @DeleteOperation
    public Removal remove(@Selector String section, @Selector String name) {
        return switch (section) {
            case "peers" -> {
                boolean connected = await(messaging.disconnect(name));
                yield new Removal(section, name, connected ? 1 : 0,
                        connected ? "disconnected; its queue stays" : "not connected");
            }
            case "queues" -> {
                int purged = await(messaging.purge(name));
                yield new Removal(section, name, purged, "purged " + purged + " waiting messages");
            }
            case "deadletters" -> {
                boolean deleted = requireDeliveries().deleteDeadLetter(deadLetterId(name));
                yield new Removal(section, name, deleted ? 1 : 0, deleted ? "deleted" : "no such dead letter");
            }
            default -> throw new InvalidEndpointRequestException("DELETE is for peers/{peer}, queues/{peer} or "
                    + "deadletters/{id}, not " + section, "DELETE is for peers, queues or deadletters");
        };
    }

    private List<PeerStatus> peers() {
        TreeSet<String> names = new TreeSet<>(messaging.connectedPeers());
        messaging.queueSizes().forEach((peer, size) -> {
            if (size > 0) {
                names.add(peer);
            }
        });
        return names.stream().map(this::status).toList();
    }

    private static <T> List<T> limited(List<T> list) {
        return list.size() > LIST_LIMIT ? list.subList(0, LIST_LIMIT) : list;
    }

    private PeerStatus status(String peer) {
        return new PeerStatus(peer, messaging.isConnected(peer), messaging.queueSize(peer), messaging.inFlight(peer));
    }

    private Deliveries requireDeliveries() {
        Deliveries d = deliveries.get();
        if (d == null) {
            throw new InvalidEndpointRequestException("delivery is off (snakemq.delivery.enabled=false): "
                    + "no dead letters", "delivery is off");
        }
        return d;
    }

    private static long deadLetterId(String name) {
        try {
            return Long.parseLong(name);
        } catch (NumberFormatException e) {
            throw new InvalidEndpointRequestException("a dead letter's id is a number, not '" + name + "'",
                    "a dead letter's id is a number");
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the link's loop did not answer within " + WAIT.toSeconds()
                    + " s; is it running?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The whole picture.
     *
     * @param peerCount   all known peers; {@code peers} lists at most {@value #LIST_LIMIT}
     * @param deadLetters the count of dead letters, or null when delivery is off
     */
    public record Overview(String identity, boolean running, List<String> listeners, int connections,
                           int peerCount, List<PeerStatus> peers, Long deadLetters) {
    }

    /**
     * One peer: connected now, or with messages waiting for it.
     *
     * @param queueDepth messages queued for it and not yet confirmed, the in-flight ones included
     * @param inFlight   messages sent on its current connection and not yet confirmed
     */
    public record PeerStatus(String identity, boolean connected, int queueDepth, int inFlight) {
    }

    /** The count of all dead letters and the oldest of them. */
    public record DeadLetters(long count, List<DeadLetterEntry> deadLetters) {
    }

    /** One dead letter, its data in Base64 and its headers in their order (empty for none). */
    public record DeadLetterEntry(long id, String sender, String uuid, String dataBase64, int flags,
                                  String errorClass, String errorMessage, int attempts, Instant failedAt,
                                  Map<String, String> headers) {
        static DeadLetterEntry of(DeadLetter letter) {
            return new DeadLetterEntry(letter.id(), letter.sender(), letter.uuid().toString(),
                    Base64.getEncoder().encodeToString(letter.data()), letter.flags(), letter.errorClass(),
                    letter.errorMessage(), letter.attempts(), letter.failedAt(), letter.headers().asMap());
        }
    }

    /** What a replay did. */
    public record ReplayResult(long id, boolean replayed, String outcome) {
    }

    /** What a delete operation did: {@code count} peers disconnected, messages purged or letters deleted. */
    public record Removal(String section, String name, int count, String outcome) {
    }
}
