package org.snakemq.spring.observation;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

import io.micrometer.observation.ObservationRegistry;

import org.snakemq.message.Message;
import org.snakemq.spring.SendResult;
import org.snakemq.spring.SnakeMqSendInterceptor;
import org.snakemq.spring.SnakeMqTemplate;

/**
 * Observes sends as {@link SnakeMqObservationDocumentation#SEND}: starts the observation, hands the
 * message with the trace context in its headers to the actual send, and stops when that returned (or,
 * for {@link #sendAsync}, when its stage completed). The observation is current on the calling thread
 * during the send.
 *
 * <p>As a {@link SnakeMqSendInterceptor} it observes every send of {@link SnakeMqTemplate} until the
 * send's future completes: acknowledged, written to a peer that does not acknowledge, or failed. Around
 * {@code Messaging.send} use {@link #send}: {@code observer.send("bob", message, messaging::send)}.
 * Thread-safe.
 */
public final class SnakeMqSendObserver implements SnakeMqSendInterceptor {

    private final ObservedWork<SnakeMqSendContext> observed;

    /** @param convention replaces the default convention; null for the default */
    public SnakeMqSendObserver(ObservationRegistry registry, SnakeMqSendObservationConvention convention,
                               PeerTagLimit peers) {
        this.observed = new ObservedWork<>(SnakeMqObservationDocumentation.SEND, registry, convention,
                DefaultSnakeMqSendObservationConvention.INSTANCE, peers);
    }

    @Override
    public CompletableFuture<SendResult> intercept(String peer, Message message, Next next) {
        return sendAsync(peer, message, (p, m) -> next.send(m));
    }

    /**
     * Sends {@code message} to {@code peer} through {@code send}, observed.
     *
     * @throws IllegalArgumentException the message's headers with the trace context exceed the limits
     *                                  of {@link org.snakemq.message.Headers}; nothing was sent
     */
    public void send(String peer, Message message, BiConsumer<String, Message> send) {
        Objects.requireNonNull(send, "send");
        sendAsync(peer, message, (p, m) -> {
            send.accept(p, m);
            return null;
        });
    }

    /**
     * Like {@link #send}, for a send that reports its end later: the observation stops when the
     * returned stage completes, with its error if it fails. Returns {@code send}'s stage itself.
     */
    public <S extends CompletionStage<?>> S sendAsync(String peer, Message message, BiFunction<String, Message, S> send) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(send, "send");
        SnakeMqSendContext context = new SnakeMqSendContext(peer, observed.peerTag(peer), message);
        return observed.run(context, true, () -> send.apply(peer, context.messageToSend()));
    }
}
