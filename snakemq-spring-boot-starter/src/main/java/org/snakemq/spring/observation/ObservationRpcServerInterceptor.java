package org.snakemq.spring.observation;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

import io.micrometer.observation.Observation;
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

    private final ObservationRegistry registry;
    private final SnakeMqRpcServerObservationConvention convention;
    private final PeerTagLimit peers;

    /** @param convention replaces the default convention; null for the default */
    public ObservationRpcServerInterceptor(ObservationRegistry registry,
                                           SnakeMqRpcServerObservationConvention convention, PeerTagLimit peers) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.convention = convention;
        this.peers = Objects.requireNonNull(peers, "peers");
    }

    @Override
    public Object intercept(IncomingCall call, Next next) throws Throwable {
        SnakeMqRpcServerContext context = new SnakeMqRpcServerContext(call, peers.tag(call.peer()));
        Observation observation = SnakeMqObservationDocumentation.RPC_SERVER.observation(convention,
                DefaultSnakeMqRpcServerObservationConvention.INSTANCE, () -> context, registry).start();
        Object result;
        try (Observation.Scope scope = observation.openScope()) {
            result = next.proceed();
        } catch (Throwable e) {
            observation.error(e);
            observation.stop();
            throw e;
        }
        Observations.stopWhenDone(observation, result);
        return result;
    }
}
