package org.snakemq.messaging;

import java.util.UUID;

/**
 * A queued message for {@code identity} was dropped: its TTL ran out, or it had TTL 0 and the peer
 * was not connected. Called on the link's loop thread.
 */
@FunctionalInterface
public interface MessageDropListener {
    void onDrop(String identity, UUID uuid);
}
