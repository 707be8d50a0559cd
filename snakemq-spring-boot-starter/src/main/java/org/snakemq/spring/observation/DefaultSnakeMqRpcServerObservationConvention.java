package org.snakemq.spring.observation;

import org.snakemq.rpc.RpcServerInterceptor.IncomingCall;

/**
 * {@code snakemq.rpc.server.calls}, span {@code "<object>.<method>"}; low cardinality {@code peer} (the
 * caller), {@code object}, {@code method}, {@code outcome}; high cardinality {@code snakemq.peer.identity}.
 * Object and method are those of registered objects only: requests for unknown ones are not observed.
 */
public class DefaultSnakeMqRpcServerObservationConvention extends RpcCallObservationConvention<SnakeMqRpcServerContext>
        implements SnakeMqRpcServerObservationConvention {

    /** A shared instance. */
    public static final DefaultSnakeMqRpcServerObservationConvention INSTANCE =
            new DefaultSnakeMqRpcServerObservationConvention();

    /** The default convention. */
    public DefaultSnakeMqRpcServerObservationConvention() {
        super("snakemq.rpc.server.calls");
    }

    @Override
    Call call(SnakeMqRpcServerContext context) {
        IncomingCall call = context.getCall();
        return new Call(context.getPeerTag(), call.peer(), call.object(), call.method());
    }
}
