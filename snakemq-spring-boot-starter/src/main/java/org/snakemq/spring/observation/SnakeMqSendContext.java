package org.snakemq.spring.observation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;

import org.snakemq.message.Headers;
import org.snakemq.message.Message;

/**
 * The context of a {@link SnakeMqObservationDocumentation#SEND send}. Its carrier is a mutable copy
 * of the message's headers, into which the tracing handler writes the trace context when the
 * observation starts; {@link #messageToSend()} is the message with them.
 */
public final class SnakeMqSendContext extends SenderContext<Map<String, String>> {

    private final String peer;
    private final String peerTag;
    private final Message message;

    /**
     * @param peer    the destination's identity
     * @param peerTag the value of the {@code peer} tag ({@link PeerTagLimit})
     * @param message the message as the application gave it
     */
    public SnakeMqSendContext(String peer, String peerTag, Message message) {
        super((carrier, key, value) -> carrier.put(key, value), Kind.PRODUCER);
        this.peer = Objects.requireNonNull(peer, "peer");
        this.peerTag = Objects.requireNonNull(peerTag, "peerTag");
        this.message = Objects.requireNonNull(message, "message");
        setCarrier(new LinkedHashMap<>(message.headers().asMap()));
        setRemoteServiceName(peer);
    }

    /** The destination's identity. */
    public String getPeer() {
        return peer;
    }

    /** The destination as the bounded {@code peer} tag. */
    public String getPeerTag() {
        return peerTag;
    }

    /** The message as the application gave it, without the trace context. */
    public Message getMessage() {
        return message;
    }

    /**
     * The message with the carrier's headers.
     *
     * @throws IllegalArgumentException the headers exceed the limits of {@link Headers}
     */
    public Message messageToSend() {
        Headers headers = Headers.of(getCarrier());
        return headers.equals(message.headers()) ? message : message.withHeaders(headers);
    }
}
