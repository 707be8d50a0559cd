package org.snakemq.spring.observation;

import java.util.Objects;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;

/**
 * Runs work inside one observation of a documented kind: starts it, keeps it current on the calling
 * thread while the work runs, records what the work throws, and stops it when the work returned or,
 * for work that returns a stage, when the stage completed. Thread-safe.
 */
final class ObservedWork<C extends Observation.Context> {

    /** Work that returns a value or throws. */
    interface Work<T, E extends Throwable> {
        T run() throws E;
    }

    private final SnakeMqObservationDocumentation documentation;
    private final ObservationRegistry registry;
    private final ObservationConvention<C> convention;
    private final ObservationConvention<C> defaultConvention;
    private final PeerTagLimit peers;

    /** @param convention replaces {@code defaultConvention}; null for the default */
    ObservedWork(SnakeMqObservationDocumentation documentation, ObservationRegistry registry,
                 ObservationConvention<C> convention, ObservationConvention<C> defaultConvention, PeerTagLimit peers) {
        this.documentation = documentation;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.convention = convention;
        this.defaultConvention = defaultConvention;
        this.peers = Objects.requireNonNull(peers, "peers");
    }

    /** {@code peer} as the bounded {@code peer} tag. */
    String peerTag(String peer) {
        return peers.tag(peer);
    }

    /**
     * Runs {@code work} observed with {@code context}.
     *
     * @param untilStageCompletes whether a stage that {@code work} returns is observed until it completes
     */
    <T, E extends Throwable> T run(C context, boolean untilStageCompletes, Work<T, E> work) throws E {
        Observation observation = documentation.observation(convention, defaultConvention, () -> context, registry)
                .start();
        T result;
        try (Observation.Scope scope = observation.openScope()) {
            result = work.run();
        } catch (Throwable e) {
            observation.error(e);
            observation.stop();
            throw e;
        }
        Observations.stopWhenDone(observation, untilStageCompletes ? result : null);
        return result;
    }
}
