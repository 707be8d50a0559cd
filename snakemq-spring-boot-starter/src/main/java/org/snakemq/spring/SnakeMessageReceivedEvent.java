package org.snakemq.spring;

import org.snakemq.link.Connection;
import org.snakemq.message.Message;

/**
 * A message arrived from the peer {@code identity}. Published as a Spring application event; receive
 * it with an {@code @EventListener} method taking this type.
 *
 * <p>With delivery on ({@code snakemq.delivery.enabled}, the default) listeners run on a handler
 * thread (snakemq-handler-*), one message of a sender at a time and in order; the message is
 * acknowledged to its sender only once every listener returned, and a listener that throws fails the
 * delivery (retried, then kept as a dead letter). Do not hand the event to {@code @Async}: the message
 * would count as handled before it is. With delivery off, listeners run on the link's loop thread
 * unless {@code snakemq.events.async=true}.
 *
 * @param identity   the sending peer
 * @param message    the message
 * @param connection the connection it came on; null with delivery on (the message may be handled
 *                   after its connection closed)
 */
public record SnakeMessageReceivedEvent(String identity, Message message, Connection connection) {
}
