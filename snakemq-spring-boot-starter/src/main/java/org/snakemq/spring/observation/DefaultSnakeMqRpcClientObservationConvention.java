package org.snakemq.spring.observation;

import org.snakemq.rpc.RpcClientInterceptor.OutgoingCall;

/**
 * {@code snakemq.rpc.client.calls} (the name and tags of the call timer the starter has without
 * observations), span {@code "<object>.<method>"}; low cardinality {@code peer}, {@code object},
 * {@code method}, {@code outcome}; high cardinality {@code snakemq.peer.identity}.
 */
public class DefaultSnakeMqRpcClientObservationConvention extends RpcCallObservationConvention<SnakeMqRpcClientContext>
        implements SnakeMqRpcClientObservationConvention {

    /** A shared instance. */
    public static final DefaultSnakeMqRpcClientObservationConvention INSTANCE =
            new DefaultSnakeMqRpcClientObservationConvention();

    /** The default convention. */
    public DefaultSnakeMqRpcClientObservationConvention() {
        super("snakemq.rpc.client.calls");
    }

    @Override
    Call call(SnakeMqRpcClientContext context) {
        OutgoingCall call = context.getCall();
        return new Call(context.getPeerTag(), call.peer(), call.object(), call.method());
    }
}
