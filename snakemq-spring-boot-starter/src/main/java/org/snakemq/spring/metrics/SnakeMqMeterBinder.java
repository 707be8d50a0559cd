package org.snakemq.spring.metrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.snakemq.callback.Registration;
import org.snakemq.link.Link;
import org.snakemq.messaging.Messaging;

/**
 * Micrometer meters of a snakeMQ peer, all named {@code snakemq.*} and tagged {@code identity} (this
 * peer):
 *
 * <ul>
 * <li>{@code snakemq.messages.received}, {@code snakemq.messages.sent} (delivered: acknowledged, or
 *     written for peers that do not acknowledge), {@code snakemq.messages.dropped} (TTL ran out)</li>
 * <li>{@code snakemq.bytes.received}, {@code snakemq.bytes.sent}: bytes between link and the layers
 *     above (needs the {@link TrafficCounter} the starter puts under the packeter)</li>
 * <li>{@code snakemq.connections}: open connections; {@code snakemq.peers.connected}: identified
 *     peers</li>
 * <li>{@code snakemq.queue.depth} tagged {@code peer}: messages queued or in flight. To keep the
 *     number of series bounded, only the first {@code maxPeerTags} peers seen get their own tag; the
 *     queues of all others are summed under {@code peer=other}.</li>
 * </ul>
 *
 * <p>RPC calls are timed by {@link RpcCallTimer} ({@code snakemq.rpc.client.calls}), or, with
 * {@code snakemq.observation.enabled=true}, by the RPC client's observation of the same name.
 *
 * <p>Threads: counts are taken in messaging callbacks on the link's loop thread; gauges are read on
 * the registry's thread and use only thread-safe accessors.
 */
public final class SnakeMqMeterBinder implements MeterBinder, AutoCloseable {

    /** The tag value that collects the queues of peers beyond the tag limit. */
    public static final String OTHER_PEERS = "other";

    private final Messaging messaging;
    private final Link link;
    private final TrafficCounter traffic;
    private final int maxPeerTags;
    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Set<String> taggedPeers = new LinkedHashSet<>();
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final List<Registration> registrations = new ArrayList<>();

    /**
     * @param traffic     byte counts, or null when the packeter does not sit on a counting transport
     * @param maxPeerTags most peers with their own queue-depth series
     */
    public SnakeMqMeterBinder(Messaging messaging, Link link, TrafficCounter traffic, int maxPeerTags) {
        this.messaging = Objects.requireNonNull(messaging, "messaging");
        this.link = Objects.requireNonNull(link, "link");
        this.traffic = traffic;
        this.maxPeerTags = Math.max(0, maxPeerTags);
        registrations.add(messaging.onMessageReceived().add((c, ident, message) -> received.increment()));
        registrations.add(messaging.onMessageSent().add((c, ident, uuid) -> sent.increment()));
        registrations.add(messaging.onMessageDropped().add((ident, uuid) -> dropped.increment()));
        registrations.add(messaging.onConnect().add((c, ident) -> track(ident)));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        String identity = messaging.identity();
        FunctionCounter.builder("snakemq.messages.received", received, LongAdder::sum)
                .description("Messages received from peers").tag("identity", identity).register(registry);
        FunctionCounter.builder("snakemq.messages.sent", sent, LongAdder::sum)
                .description("Messages delivered to peers (acknowledged, or written for peers that do not acknowledge)")
                .tag("identity", identity).register(registry);
        FunctionCounter.builder("snakemq.messages.dropped", dropped, LongAdder::sum)
                .description("Messages dropped undelivered because their TTL ran out")
                .tag("identity", identity).register(registry);
        if (traffic != null) {
            FunctionCounter.builder("snakemq.bytes.received", traffic, TrafficCounter::bytesReceived)
                    .description("Bytes read from connections").baseUnit("bytes").tag("identity", identity)
                    .register(registry);
            FunctionCounter.builder("snakemq.bytes.sent", traffic, TrafficCounter::bytesSent)
                    .description("Bytes handed to connections for sending").baseUnit("bytes")
                    .tag("identity", identity).register(registry);
        }
        Gauge.builder("snakemq.connections", link, l -> l.connections().size())
                .description("Open connections").tag("identity", identity).strongReference(true).register(registry);
        Gauge.builder("snakemq.peers.connected", messaging, m -> m.connectedPeers().size())
                .description("Peers connected and identified").tag("identity", identity).strongReference(true)
                .register(registry);
        Gauge.builder("snakemq.queue.depth", this, SnakeMqMeterBinder::otherDepth)
                .description("Messages queued or in flight for peers without their own series")
                .tags("identity", identity, "peer", OTHER_PEERS).strongReference(true).register(registry);
        List<String> peers;
        synchronized (taggedPeers) {
            registries.add(registry);
            messaging.queueSizes().keySet().forEach(this::trackLocked);
            peers = List.copyOf(taggedPeers);
        }
        peers.forEach(peer -> registerDepth(registry, peer));
    }

    /** Removes the callbacks from messaging. */
    @Override
    public void close() {
        registrations.forEach(Registration::close);
    }

    private void track(String peer) {
        List<MeterRegistry> targets;
        synchronized (taggedPeers) {
            if (!trackLocked(peer)) {
                return;
            }
            targets = List.copyOf(registries);
        }
        targets.forEach(registry -> registerDepth(registry, peer));
    }

    private boolean trackLocked(String peer) {
        if (taggedPeers.contains(peer) || taggedPeers.size() >= maxPeerTags || OTHER_PEERS.equals(peer)) {
            return false;
        }
        taggedPeers.add(peer);
        return true;
    }

    private void registerDepth(MeterRegistry registry, String peer) {
        Gauge.builder("snakemq.queue.depth", messaging, m -> m.queueSize(peer))
                .description("Messages queued or in flight for a peer")
                .tags("identity", messaging.identity(), "peer", peer).strongReference(true).register(registry);
    }

    private double otherDepth() {
        Set<String> tagged;
        synchronized (taggedPeers) {
            tagged = Set.copyOf(taggedPeers);
        }
        int depth = 0;
        for (Map.Entry<String, Integer> entry : messaging.queueSizes().entrySet()) {
            if (!tagged.contains(entry.getKey())) {
                depth += entry.getValue();
            }
        }
        return depth;
    }
}
