package org.snakemq.messaging;

import org.snakemq.message.Headers;
import org.snakemq.message.Message;

/**
 * The envelope of a message with headers. A subclass rather than a field of {@link Envelope}, so
 * that the many queued messages without headers do not pay for the reference. Its own
 * {@link #writeTo} is the plain MESSAGE frame, for peers that did not announce headers;
 * {@link HeaderedMessage} is the MESSAGE_WITH_HEADERS frame for those that did. Loop thread only
 * once queued.
 */
final class HeaderedEnvelope extends Envelope {

    final Headers headers;

    HeaderedEnvelope(String destination, Message message, long storageKey) {
        super(destination, message, storageKey);
        this.headers = message.headers();
    }
}
