package org.snakemq.spring;

import org.snakemq.link.Connection;
import org.snakemq.message.Message;

/**
 * A message arrived from the peer {@code identity}. Published as a Spring application event; receive
 * it with an {@code @EventListener} method taking this type.
 *
 * <p>Threads: listeners run on the link's loop thread (snakemq-link-*) unless
 * {@code snakemq.events.async=true}; a slow listener there delays all traffic of this peer, so hand
 * long work to an executor ({@code @Async}, or the async flag).
 *
 * @param identity   the sending peer
 * @param message    the message
 * @param connection the connection it came on
 */
public record SnakeMessageReceivedEvent(String identity, Message message, Connection connection) {
}
