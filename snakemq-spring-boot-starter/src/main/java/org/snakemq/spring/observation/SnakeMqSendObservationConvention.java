package org.snakemq.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and keys of the {@link SnakeMqObservationDocumentation#SEND send} observation. Declare a bean of this type to replace
 * {@link DefaultSnakeMqSendObservationConvention}; extend that one's key values by delegating to it. Called on the thread that
 * starts or stops the observation; must be thread-safe.
 */
public interface SnakeMqSendObservationConvention extends ObservationConvention<SnakeMqSendContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof SnakeMqSendContext;
    }
}
