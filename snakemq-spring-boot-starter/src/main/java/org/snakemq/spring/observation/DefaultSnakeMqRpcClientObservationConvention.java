package org.snakemq.spring.observation;

import io.micrometer.common.KeyValues;

import org.snakemq.spring.observation.SnakeMqObservationDocumentation.HighCardinalityKeys;
import org.snakemq.spring.observation.SnakeMqObservationDocumentation.LowCardinalityKeys;

/**
 * {@code snakemq.rpc.client.calls} (the name and tags of the call timer the starter has without
 * observations), span {@code "<object>.<method>"}; low cardinality {@code peer}, {@code object},
 * {@code method}, {@code outcome}; high cardinality {@code snakemq.peer.identity}.
 */
public class DefaultSnakeMqRpcClientObservationConvention implements SnakeMqRpcClientObservationConvention {

    /** A shared instance. */
    public static final DefaultSnakeMqRpcClientObservationConvention INSTANCE =
            new DefaultSnakeMqRpcClientObservationConvention();

    @Override
    public String getName() {
        return "snakemq.rpc.client.calls";
    }

    @Override
    public String getContextualName(SnakeMqRpcClientContext context) {
        return context.getCall().object() + "." + context.getCall().method();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(SnakeMqRpcClientContext context) {
        return KeyValues.of(LowCardinalityKeys.PEER.withValue(context.getPeerTag()),
                LowCardinalityKeys.OBJECT.withValue(context.getCall().object()),
                LowCardinalityKeys.METHOD.withValue(context.getCall().method()), Outcomes.of(context));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(SnakeMqRpcClientContext context) {
        return KeyValues.of(HighCardinalityKeys.PEER_IDENTITY.withValue(context.getCall().peer()));
    }
}
