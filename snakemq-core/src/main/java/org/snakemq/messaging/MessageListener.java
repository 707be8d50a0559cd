package org.snakemq.messaging;

import org.snakemq.link.Connection;
import org.snakemq.message.Message;

/** A message arrived from the peer {@code identity}. Called on the link's loop thread. */
@FunctionalInterface
public interface MessageListener {
    void onMessage(Connection connection, String identity, Message message);
}
