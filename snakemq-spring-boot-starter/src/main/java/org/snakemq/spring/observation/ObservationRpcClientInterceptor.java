package org.snakemq.spring.observation;

import java.util.Objects;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.snakemq.rpc.RpcClient;
import org.snakemq.rpc.RpcClientInterceptor;

/**
 * Observes every call and signal of an {@link RpcClient} as
 * {@link SnakeMqObservationDocumentation#RPC_CLIENT}, with the trace context in the request's
 * headers. The observation is current on the calling thread while the request is sent (and, for a
 * call that waits, while it waits); an asynchronous call's observation stops when its future
 * completes, on the client's callback thread.
 */
public final class ObservationRpcClientInterceptor implements RpcClientInterceptor {

    private final ObservationRegistry registry;
    private final SnakeMqRpcClientObservationConvention convention;
    private final PeerTagLimit peers;

    /** @param convention replaces the default convention; null for the default */
    public ObservationRpcClientInterceptor(ObservationRegistry registry,
                                           SnakeMqRpcClientObservationConvention convention, PeerTagLimit peers) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.convention = convention;
        this.peers = Objects.requireNonNull(peers, "peers");
    }

    @Override
    public Object intercept(OutgoingCall call, Next next) {
        SnakeMqRpcClientContext context = new SnakeMqRpcClientContext(call, peers.tag(call.peer()));
        Observation observation = SnakeMqObservationDocumentation.RPC_CLIENT.observation(convention,
                DefaultSnakeMqRpcClientObservationConvention.INSTANCE, () -> context, registry).start();
        Object result;
        try (Observation.Scope scope = observation.openScope()) {
            result = next.proceed(context.requestHeaders());
        } catch (RuntimeException | Error e) {
            observation.error(e);
            observation.stop();
            throw e;
        }
        Observations.stopWhenDone(observation, call.kind() == Kind.ASYNC_CALL ? result : null);
        return result;
    }
}
