package org.snakemq.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and keys of the {@link SnakeMqObservationDocumentation#RPC_CLIENT RPC client} observation. Declare a bean of this type to replace
 * {@link DefaultSnakeMqRpcClientObservationConvention}; extend that one's key values by delegating to it. Called on the thread that
 * starts or stops the observation; must be thread-safe.
 */
public interface SnakeMqRpcClientObservationConvention extends ObservationConvention<SnakeMqRpcClientContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof SnakeMqRpcClientContext;
    }
}
