package org.snakemq.spring.observation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;

import org.snakemq.message.Headers;
import org.snakemq.rpc.RpcClientInterceptor;

/**
 * The context of an {@link SnakeMqObservationDocumentation#RPC_CLIENT RPC call}: the carrier collects
 * the headers of the request, into which the tracing handler writes the trace context.
 */
public final class SnakeMqRpcClientContext extends SenderContext<Map<String, String>> {

    private final RpcClientInterceptor.OutgoingCall call;
    private final String peerTag;

    /** @param peerTag the value of the {@code peer} tag ({@link PeerTagLimit}) */
    public SnakeMqRpcClientContext(RpcClientInterceptor.OutgoingCall call, String peerTag) {
        super((carrier, key, value) -> carrier.put(key, value), Kind.CLIENT);
        this.call = Objects.requireNonNull(call, "call");
        this.peerTag = Objects.requireNonNull(peerTag, "peerTag");
        setCarrier(new LinkedHashMap<>());
        setRemoteServiceName(call.peer());
    }

    /** The server, object, method and kind of the call. */
    public RpcClientInterceptor.OutgoingCall getCall() {
        return call;
    }

    /** The server as the bounded {@code peer} tag. */
    public String getPeerTag() {
        return peerTag;
    }

    /**
     * The request's headers: what the carrier holds.
     *
     * @throws IllegalArgumentException the headers exceed the limits of {@link Headers}
     */
    public Headers requestHeaders() {
        return Headers.of(getCarrier());
    }
}
