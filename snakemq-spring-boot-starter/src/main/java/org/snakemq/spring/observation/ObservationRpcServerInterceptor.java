package org.snakemq.spring.observation;

import java.util.concurrent.CompletionStage;

import io.micrometer.observation.ObservationRegistry;

import org.snakemq.rpc.RpcServer;
import org.snakemq.rpc.RpcServerInterceptor;

/**
 * Observes every method an {@link RpcServer} serves as {@link SnakeMqObservationDocumentation#RPC_SERVER},
 * continuing the caller's trace from the request's headers. The observation is current on the
 * executor thread while the method runs; a method that returns a {@link CompletionStage} is observed
 * until the stage completes.
 */
public final class ObservationRpcServerInterceptor implements RpcServerInterceptor {

    private final ObservedWork<SnakeMqRpcServerContext> observed;

    /** @param convention replaces the default convention; null for the default */
    public ObservationRpcServerInterceptor(ObservationRegistry registry,
                                           SnakeMqRpcServerObservationConvention convention, PeerTagLimit peers) {
        this.observed = new ObservedWork<>(SnakeMqObservationDocumentation.RPC_SERVER, registry, convention,
                DefaultSnakeMqRpcServerObservationConvention.INSTANCE, peers);
    }

    @Override
    public Object intercept(IncomingCall call, Next next) throws Throwable {
        SnakeMqRpcServerContext context = new SnakeMqRpcServerContext(call, observed.peerTag(call.peer()));
        return observed.run(context, true, next::proceed);
    }
}
