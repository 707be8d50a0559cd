package org.snakemq.sample;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.snakemq.messaging.Messaging;

/** Queue sizes that include what was just sent. */
final class QueueSizes {

    private QueueSizes() {
    }

    /**
     * The number of messages queued for {@code peer} once the link's loop has taken in what this thread
     * sent before (a send reaches its queue on the loop thread); waits for the loop at most
     * {@code timeout}. Do not call it on the loop thread.
     */
    static int settled(Messaging messaging, String peer, Duration timeout) {
        CountDownLatch passed = new CountDownLatch(1);
        messaging.transport().execute(passed::countDown);
        try {
            passed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return messaging.queueSize(peer);
    }
}
