package org.snakemq.spring.observation;

import java.util.Objects;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;

import org.snakemq.delivery.Delivery;
import org.snakemq.message.Message;

/**
 * The context of a {@link SnakeMqObservationDocumentation#LISTENER listener} attempt: the received
 * message is the carrier the tracing handler reads the sender's trace context from.
 */
public final class SnakeMqListenerContext extends ReceiverContext<Message> {

    private final Delivery delivery;
    private final String peerTag;

    /** @param peerTag the value of the {@code peer} tag ({@link PeerTagLimit}) */
    public SnakeMqListenerContext(Delivery delivery, String peerTag) {
        super((message, key) -> message.headers().get(key), Kind.CONSUMER);
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.peerTag = Objects.requireNonNull(peerTag, "peerTag");
        setCarrier(delivery.message());
        setRemoteServiceName(delivery.sender());
    }

    /** The message, its sender and the attempt. */
    public Delivery getDelivery() {
        return delivery;
    }

    /** The sender as the bounded {@code peer} tag. */
    public String getPeerTag() {
        return peerTag;
    }
}
