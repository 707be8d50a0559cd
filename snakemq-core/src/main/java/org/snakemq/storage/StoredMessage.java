package org.snakemq.storage;

import org.snakemq.message.Message;

/**
 * A message as a {@link QueuesStorage} holds it.
 * A value, not changed after it is made; safe to pass between threads.
 *
 * @param key     the storage's own key for the row, used to delete or update it
 * @param queue   the destination identity
 * @param message the message, with the TTL that was left when it was last stored
 */
public record StoredMessage(long key, String queue, Message message) {
}
