package org.snakemq.spring.observation;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.snakemq.spring.metrics.SnakeMqMeterBinder;

/**
 * Keeps the {@code peer} tag of observations bounded, as {@code snakemq.metrics.max-peer-tags} does for
 * the queue gauges: the first {@code max} peers seen keep their identity as the tag, every later one is
 * tagged {@value SnakeMqMeterBinder#OTHER_PEERS}. Thread-safe.
 */
public final class PeerTagLimit {

    private final int max;
    private final Set<String> tagged = ConcurrentHashMap.newKeySet();

    /** @param max most peers with a tag of their own; zero tags every peer {@code other} */
    public PeerTagLimit(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        this.max = max;
    }

    /** The tag value for {@code peer}. */
    public String tag(String peer) {
        if (tagged.contains(peer)) {
            return peer;
        }
        if (SnakeMqMeterBinder.OTHER_PEERS.equals(peer)) {
            return SnakeMqMeterBinder.OTHER_PEERS;
        }
        synchronized (tagged) {
            if (tagged.size() < max) {
                tagged.add(peer);
                return peer;
            }
            return tagged.contains(peer) ? peer : SnakeMqMeterBinder.OTHER_PEERS;
        }
    }
}
