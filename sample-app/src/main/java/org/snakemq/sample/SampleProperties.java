package org.snakemq.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the sample, under {@code sample.*}.
 *
 * @param chat what a peer started on its own (two-terminal mode) sends by itself
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue Chat chat) {

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
