package org.snakemq.storage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.snakemq.message.Message;

/**
 * Messages of one queue waiting for the writer; the writer fills {@code keys} and then completes
 * {@code done} once the transaction holding them committed.
 */
record PushRequest(String queue, List<Message> messages, long[] keys, CompletableFuture<Void> done) {

    PushRequest(String queue, List<Message> messages) {
        this(queue, messages, new long[messages.size()], new CompletableFuture<>());
    }
}
