package org.snakemq.spring.observation;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;

import org.snakemq.spring.observation.SnakeMqObservationDocumentation.HighCardinalityKeys;
import org.snakemq.spring.observation.SnakeMqObservationDocumentation.LowCardinalityKeys;

/**
 * The name and keys of an RPC call's observation, on either side: span {@code "<object>.<method>"}; low
 * cardinality {@code peer}, {@code object}, {@code method}, {@code outcome}; high cardinality
 * {@code snakemq.peer.identity}. Thread-safe.
 */
abstract class RpcCallObservationConvention<C extends Observation.Context> {

    /** What the keys are made of: the bounded peer tag, the peer, the object and the method. */
    record Call(String peerTag, String peer, String object, String method) {
    }

    private final String name;

    RpcCallObservationConvention(String name) {
        this.name = name;
    }

    /** The call that {@code context} observes. */
    abstract Call call(C context);

    public String getName() {
        return name;
    }

    public String getContextualName(C context) {
        Call call = call(context);
        return call.object() + "." + call.method();
    }

    public KeyValues getLowCardinalityKeyValues(C context) {
        Call call = call(context);
        return KeyValues.of(LowCardinalityKeys.PEER.withValue(call.peerTag()),
                LowCardinalityKeys.OBJECT.withValue(call.object()),
                LowCardinalityKeys.METHOD.withValue(call.method()), Outcomes.of(context));
    }

    public KeyValues getHighCardinalityKeyValues(C context) {
        return KeyValues.of(HighCardinalityKeys.PEER_IDENTITY.withValue(call(context).peer()));
    }
}
