package org.snakemq.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and keys of the {@link SnakeMqObservationDocumentation#RPC_SERVER RPC server} observation. Declare a bean of this type to replace
 * {@link DefaultSnakeMqRpcServerObservationConvention}; extend that one's key values by delegating to it. Called on the thread that
 * starts or stops the observation; must be thread-safe.
 */
public interface SnakeMqRpcServerObservationConvention extends ObservationConvention<SnakeMqRpcServerContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof SnakeMqRpcServerContext;
    }
}
