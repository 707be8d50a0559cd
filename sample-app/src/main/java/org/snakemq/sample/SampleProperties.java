package org.snakemq.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the sample, under {@code sample.*}.
 *
 * @param chat  what a peer started on its own (two-terminal mode) sends by itself
 * @param clock where the clock is served and called (read by the placeholders of {@link Clock} and
 *              {@link RemoteClock})
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue Chat chat, @DefaultValue ClockSettings clock) {

    /**
     * The RPC clock.
     *
     * @param name the RPC name alice serves her clock under and bob calls
     * @param peer the identity of the peer that serves it
     */
    public record ClockSettings(@DefaultValue("clock") String name, @DefaultValue("alice") String peer) {
    }

    /**
     * The messages a peer sends by itself when started alone.
     *
     * @param enabled  whether to send them (the demo turns this off and sends its own)
     * @param interval time between two rounds
     * @param peer     the identity to send to
     * @param callClock whether each round also calls alice's clock over RPC
     */
    public record Chat(@DefaultValue("false") boolean enabled, @DefaultValue("5s") Duration interval, String peer,
                       @DefaultValue("false") boolean callClock) {
    }
}
