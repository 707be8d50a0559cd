package org.snakemq.spring.observation;

import io.micrometer.common.KeyValues;

import org.snakemq.spring.observation.SnakeMqObservationDocumentation.HighCardinalityKeys;
import org.snakemq.spring.observation.SnakeMqObservationDocumentation.LowCardinalityKeys;

/**
 * {@code snakemq.rpc.server.calls}, span {@code "<object>.<method>"}; low cardinality {@code peer} (the
 * caller), {@code object}, {@code method}, {@code outcome}; high cardinality {@code snakemq.peer.identity}.
 * Object and method are those of registered objects only: requests for unknown ones are not observed.
 */
public class DefaultSnakeMqRpcServerObservationConvention implements SnakeMqRpcServerObservationConvention {

    /** A shared instance. */
    public static final DefaultSnakeMqRpcServerObservationConvention INSTANCE =
            new DefaultSnakeMqRpcServerObservationConvention();

    @Override
    public String getName() {
        return "snakemq.rpc.server.calls";
    }

    @Override
    public String getContextualName(SnakeMqRpcServerContext context) {
        return context.getCall().object() + "." + context.getCall().method();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(SnakeMqRpcServerContext context) {
        return KeyValues.of(LowCardinalityKeys.PEER.withValue(context.getPeerTag()),
                LowCardinalityKeys.OBJECT.withValue(context.getCall().object()),
                LowCardinalityKeys.METHOD.withValue(context.getCall().method()), Outcomes.of(context));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(SnakeMqRpcServerContext context) {
        return KeyValues.of(HighCardinalityKeys.PEER_IDENTITY.withValue(context.getCall().peer()));
    }
}
