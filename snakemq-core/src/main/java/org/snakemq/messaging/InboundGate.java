package org.snakemq.messaging;

import java.util.Collection;
import java.util.UUID;

import org.snakemq.message.Message;

/**
 * Where received messages go to be handled when their acknowledgement must wait for the
 * application: installed with {@link Messaging#setInboundGate}. {@code org.snakemq.delivery.Deliveries}
 * is the implementation applications use; this interface is the seam between it and the messaging
 * layer.
 *
 * <p>Contract: Messaging hands each message of a sender at most once while it is pending, in the
 * order it arrived, and acknowledges it to the sender only after the gate reported it done through
 * {@link Completions#completed}. A message the sender sends again while it is pending is not handed
 * again; its acknowledgement waits for the first one's completion.
 *
 * <p>Threads: every method here is called on the link's loop thread and must not block.
 */
public interface InboundGate {

    /** Whether this gate handles the message; messages it does not want are acknowledged at once. */
    boolean wants(String sender, Message message);

    /** Takes a message to handle. Report its end through {@link Completions#completed}. */
    void accept(String sender, Message message);

    /**
     * Whether the gate takes more messages from this sender now. When it does not, Messaging stops
     * reading the sender's connection until {@link Completions#roomAvailable()} is called.
     */
    boolean hasRoom(String sender);

    /**
     * Ids of messages from this sender completed before this process started (a durable inbox), so
     * that a sender's repeat is acknowledged without being handed again. Called once per sender, when
     * it first identifies itself.
     */
    Collection<UUID> completedBefore(String sender);

    /** Called once when the gate is installed; keep the argument to report completions. */
    void bind(Completions completions);

    /** How a gate reports back to Messaging. Thread-safe: call from any thread. */
    interface Completions {

        /** The message is done (handled, or recovered): it may be acknowledged to its sender. */
        void completed(String sender, UUID id);

        /** The gate has room again: connections paused for lack of room may be read again. */
        void roomAvailable();
    }
}
