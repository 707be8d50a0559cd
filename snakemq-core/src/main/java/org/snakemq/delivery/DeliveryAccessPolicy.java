package org.snakemq.delivery;

import java.util.Objects;
import java.util.Set;

import org.snakemq.message.Message;

/**
 * Decides which senders' messages {@link Deliveries} hands to its handler. A refused message is
 * acknowledged to its sender (so that it is not sent again), logged at WARN, counted in
 * {@link DeliveryStats#refused()}, and neither handled nor dead-lettered. Sender identities mean
 * something only when they are verified (TLS with an
 * {@link org.snakemq.messaging.IdentityVerifier}); otherwise a sender is whatever the peer claims.
 *
 * <p>Called on the link's loop thread, once per message: decide from what is at hand (a set of
 * names, the message's flags) and do not block.
 */
@FunctionalInterface
public interface DeliveryAccessPolicy {

    /** Whether {@code message} from {@code sender} may be handed to the handler. */
    boolean permits(String sender, Message message);

    /** Permits every message. */
    static DeliveryAccessPolicy permitAll() {
        return (sender, message) -> true;
    }

    /** Permits messages from these senders only. */
    static DeliveryAccessPolicy onlyFrom(Set<String> senders) {
        Set<String> allowed = Set.copyOf(senders);
        return (sender, message) -> allowed.contains(sender);
    }

    /** Permits what both this policy and {@code other} permit. */
    default DeliveryAccessPolicy and(DeliveryAccessPolicy other) {
        Objects.requireNonNull(other, "other");
        return (sender, message) -> permits(sender, message) && other.permits(sender, message);
    }
}
