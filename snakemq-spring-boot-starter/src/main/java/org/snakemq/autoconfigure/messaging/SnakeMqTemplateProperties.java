package org.snakemq.autoconfigure.messaging;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The auto-configured {@code SnakeMqTemplate} ({@code snakemq.template.*}). */
@ConfigurationProperties("snakemq.template")
public class SnakeMqTemplateProperties {

    /** Time to live of messages sent without options of their own; unset for no limit. */
    private Duration ttl;

    /** Whether messages sent without options of their own are persistent (stored until delivered). */
    private boolean persistent;

    /** Sends that may wait for their acknowledgement at once; a send beyond fails without sending. */
    private int maxPending = 100_000;

    public Duration getTtl() {
        return ttl;
    }

    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    public boolean isPersistent() {
        return persistent;
    }

    public void setPersistent(boolean persistent) {
        this.persistent = persistent;
    }

    public int getMaxPending() {
        return maxPending;
    }

    public void setMaxPending(int maxPending) {
        this.maxPending = maxPending;
    }
}
