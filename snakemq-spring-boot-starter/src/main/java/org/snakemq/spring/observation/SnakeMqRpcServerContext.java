package org.snakemq.spring.observation;

import java.util.Objects;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;

import org.snakemq.message.Headers;
import org.snakemq.rpc.RpcServerInterceptor;

/**
 * The context of a {@link SnakeMqObservationDocumentation#RPC_SERVER served method}: the request's
 * headers are the carrier the tracing handler reads the caller's trace context from (none from
 * Python clients).
 */
public final class SnakeMqRpcServerContext extends ReceiverContext<Headers> {

    private final RpcServerInterceptor.IncomingCall call;
    private final String peerTag;

    /** @param peerTag the value of the {@code peer} tag ({@link PeerTagLimit}) */
    public SnakeMqRpcServerContext(RpcServerInterceptor.IncomingCall call, String peerTag) {
        super(Headers::get, Kind.SERVER);
        this.call = Objects.requireNonNull(call, "call");
        this.peerTag = Objects.requireNonNull(peerTag, "peerTag");
        setCarrier(call.headers());
        setRemoteServiceName(call.peer());
    }

    /** The caller, object, method and headers of the request. */
    public RpcServerInterceptor.IncomingCall getCall() {
        return call;
    }

    /** The caller as the bounded {@code peer} tag. */
    public String getPeerTag() {
        return peerTag;
    }
}
