package org.snakemq.spring.observation;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.snakemq.delivery.Delivery;
import org.snakemq.spring.SnakeListenerInterceptor;

/**
 * Observes each attempt of the {@code @SnakeListener} methods at a message as
 * {@link SnakeMqObservationDocumentation#LISTENER}, continuing the sender's trace from the message's
 * headers. The observation is current on the handler thread while the listeners run, so what they
 * send or call continues the trace; it stops when every listener is done (a returned stage completed).
 */
public final class ObservationSnakeListenerInterceptor implements SnakeListenerInterceptor {

    private final ObservationRegistry registry;
    private final SnakeMqListenerObservationConvention convention;
    private final PeerTagLimit peers;

    /** @param convention replaces the default convention; null for the default */
    public ObservationSnakeListenerInterceptor(ObservationRegistry registry,
                                               SnakeMqListenerObservationConvention convention, PeerTagLimit peers) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.convention = convention;
        this.peers = Objects.requireNonNull(peers, "peers");
    }

    @Override
    public CompletionStage<?> intercept(Delivery delivery, Next next) throws Exception {
        SnakeMqListenerContext context = new SnakeMqListenerContext(delivery, peers.tag(delivery.sender()));
        Observation observation = SnakeMqObservationDocumentation.LISTENER.observation(convention,
                DefaultSnakeMqListenerObservationConvention.INSTANCE, () -> context, registry).start();
        CompletionStage<?> result;
        try (Observation.Scope scope = observation.openScope()) {
            result = next.proceed();
        } catch (Exception | Error e) {
            observation.error(e);
            observation.stop();
            throw e;
        }
        Observations.stopWhenDone(observation, result);
        return result;
    }
}
