package org.snakemq.spring.observation;

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

    private final ObservedWork<SnakeMqRpcClientContext> observed;

    /** @param convention replaces the default convention; null for the default */
    public ObservationRpcClientInterceptor(ObservationRegistry registry,
                                           SnakeMqRpcClientObservationConvention convention, PeerTagLimit peers) {
        this.observed = new ObservedWork<>(SnakeMqObservationDocumentation.RPC_CLIENT, registry, convention,
                DefaultSnakeMqRpcClientObservationConvention.INSTANCE, peers);
    }

    @Override
    public Object intercept(OutgoingCall call, Next next) {
        SnakeMqRpcClientContext context = new SnakeMqRpcClientContext(call, observed.peerTag(call.peer()));
        return observed.run(context, call.kind() == Kind.ASYNC_CALL, () -> next.proceed(context.requestHeaders()));
    }
}
