package org.snakemq.autoconfigure.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Delivery of received messages into the application ({@code snakemq.delivery.*}). */
@ConfigurationProperties("snakemq.delivery")
public class SnakeMqDeliveryProperties {

    /**
     * Whether received messages are acknowledged only once @SnakeListener methods and
     * SnakeMessageReceivedEvent listeners handled them (retried, then dead-lettered, on failure).
     */
    private boolean enabled = true;

    /** Threads that run listeners. */
    private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());

    /** Messages of one sender waiting for or in a listener before its connection stops being read. */
    private int maxPendingPerSender = 1_000;

    /** Messages of all senders waiting for or in a listener before connections stop being read. */
    private int maxPending = 10_000;

    private final Retry retry = new Retry();

    private final Inbox inbox = new Inbox();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

    public int getMaxPendingPerSender() {
        return maxPendingPerSender;
    }

    public void setMaxPendingPerSender(int maxPendingPerSender) {
        this.maxPendingPerSender = maxPendingPerSender;
    }

    public int getMaxPending() {
        return maxPending;
    }

    public void setMaxPending(int maxPending) {
        this.maxPending = maxPending;
    }

    public Retry getRetry() {
        return retry;
    }

    public Inbox getInbox() {
        return inbox;
    }

    /** Retries of a failed message before it becomes a dead letter. */
    public static class Retry {

        /** Calls of the listener in all, at least 1 (1 = no retry). */
        private int maxAttempts = 3;

        /** Wait after the first failure. */
        private Duration initialDelay = Duration.ofSeconds(1);

        /** Factor by which each further wait grows. */
        private double multiplier = 2.0;

        /** Longest wait between attempts. */
        private Duration maxDelay = Duration.ofSeconds(10);

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }
    }

    /** The durable inbox of completed message ids (with sqlite or jdbc storage). */
    public static class Inbox {

        /** Whether completed ids are recorded, so a restarted peer does not handle a repeat again. */
        private boolean enabled = true;

        /** Completed ids kept per sender. */
        private int perSender = 16_384;

        /** How long a completed id is kept. */
        private Duration maxAge = Duration.ofDays(7);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getPerSender() {
            return perSender;
        }

        public void setPerSender(int perSender) {
            this.perSender = perSender;
        }

        public Duration getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }
    }
}
