package org.snakemq.spring.health;

import java.util.List;
import java.util.Objects;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import org.snakemq.link.Link;
import org.snakemq.messaging.Messaging;

/**
 * Health of the local snakeMQ peer: UP while its link runs (listeners bound, connectors dialling),
 * DOWN when it is stopped. A remote peer that is not connected does not make this application DOWN:
 * peers come and go, and messages for them wait in their queues. Details: identity, connected peers
 * (at most {@value #MAX_LISTED_PEERS} listed), open connections, listening addresses, queued
 * messages.
 */
public final class SnakeMqHealthIndicator extends AbstractHealthIndicator {

    /** Most peer identities listed in the details. */
    public static final int MAX_LISTED_PEERS = 50;

    private final Link link;
    private final Messaging messaging;

    public SnakeMqHealthIndicator(Link link, Messaging messaging) {
        super("snakeMQ health check failed");
        this.link = Objects.requireNonNull(link, "link");
        this.messaging = Objects.requireNonNull(messaging, "messaging");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (link.isRunning()) {
            builder.up();
        } else {
            builder.down().withDetail("link", "stopped");
        }
        List<String> peers = messaging.connectedPeers().stream().sorted().toList();
        builder.withDetail("identity", messaging.identity())
                .withDetail("connectedPeers", peers.size() > MAX_LISTED_PEERS ? peers.subList(0, MAX_LISTED_PEERS) : peers)
                .withDetail("connectedPeerCount", peers.size())
                .withDetail("connections", link.connections().size())
                .withDetail("listening", link.listenerAddresses().stream().map(String::valueOf).sorted().toList())
                .withDetail("queuedMessages", messaging.queueSizes().values().stream().mapToInt(Integer::intValue).sum());
    }
}
