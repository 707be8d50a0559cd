package org.snakemq.spring.observation;

import io.micrometer.common.KeyValues;

import org.snakemq.spring.observation.SnakeMqObservationDocumentation.HighCardinalityKeys;
import org.snakemq.spring.observation.SnakeMqObservationDocumentation.LowCardinalityKeys;

/**
 * {@code snakemq.send}, span {@code "<peer> send"}; low cardinality {@code peer}, {@code persistent},
 * {@code outcome}; high cardinality {@code snakemq.peer.identity}, {@code snakemq.message.id}.
 */
public class DefaultSnakeMqSendObservationConvention implements SnakeMqSendObservationConvention {

    /** A shared instance. */
    public static final DefaultSnakeMqSendObservationConvention INSTANCE = new DefaultSnakeMqSendObservationConvention();

    @Override
    public String getName() {
        return "snakemq.send";
    }

    @Override
    public String getContextualName(SnakeMqSendContext context) {
        return context.getPeerTag() + " send";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(SnakeMqSendContext context) {
        return KeyValues.of(LowCardinalityKeys.PEER.withValue(context.getPeerTag()),
                LowCardinalityKeys.PERSISTENT.withValue(Boolean.toString(context.getMessage().isPersistent())),
                Outcomes.of(context));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(SnakeMqSendContext context) {
        return KeyValues.of(HighCardinalityKeys.PEER_IDENTITY.withValue(context.getPeer()),
                HighCardinalityKeys.MESSAGE_ID.withValue(context.getMessage().uuid().toString()));
    }
}
