package org.snakemq.spring.observation;

import java.util.concurrent.CompletionStage;

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

    private final ObservedWork<SnakeMqListenerContext> observed;

    /** @param convention replaces the default convention; null for the default */
    public ObservationSnakeListenerInterceptor(ObservationRegistry registry,
                                               SnakeMqListenerObservationConvention convention, PeerTagLimit peers) {
        this.observed = new ObservedWork<>(SnakeMqObservationDocumentation.LISTENER, registry, convention,
                DefaultSnakeMqListenerObservationConvention.INSTANCE, peers);
    }

    @Override
    public CompletionStage<?> intercept(Delivery delivery, Next next) throws Exception {
        SnakeMqListenerContext context = new SnakeMqListenerContext(delivery, observed.peerTag(delivery.sender()));
        return observed.run(context, true, next::proceed);
    }
}
