package org.snakemq.spring.observation;

import io.micrometer.common.KeyValues;

import org.snakemq.spring.observation.SnakeMqObservationDocumentation.HighCardinalityKeys;
import org.snakemq.spring.observation.SnakeMqObservationDocumentation.LowCardinalityKeys;

/**
 * {@code snakemq.listener}, span {@code "<sender> process"}; low cardinality {@code peer} (the sender),
 * {@code outcome}; high cardinality {@code snakemq.peer.identity}, {@code snakemq.message.id},
 * {@code snakemq.delivery.attempt}.
 */
public class DefaultSnakeMqListenerObservationConvention implements SnakeMqListenerObservationConvention {

    /** A shared instance. */
    public static final DefaultSnakeMqListenerObservationConvention INSTANCE =
            new DefaultSnakeMqListenerObservationConvention();

    @Override
    public String getName() {
        return "snakemq.listener";
    }

    @Override
    public String getContextualName(SnakeMqListenerContext context) {
        return context.getPeerTag() + " process";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(SnakeMqListenerContext context) {
        return KeyValues.of(LowCardinalityKeys.PEER.withValue(context.getPeerTag()), Outcomes.of(context));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(SnakeMqListenerContext context) {
        return KeyValues.of(HighCardinalityKeys.PEER_IDENTITY.withValue(context.getDelivery().sender()),
                HighCardinalityKeys.MESSAGE_ID.withValue(context.getDelivery().message().uuid().toString()),
                HighCardinalityKeys.ATTEMPT.withValue(Integer.toString(context.getDelivery().attempt())));
    }
}
