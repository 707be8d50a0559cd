package org.snakemq.spring;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;

import org.snakemq.callback.Registration;
import org.snakemq.link.Connection;
import org.snakemq.message.Headers;
import org.snakemq.message.Message;
import org.snakemq.message.MessageIds;
import org.snakemq.messaging.Messaging;

/**
 * Sends objects and spring-messaging messages to peers, converted by the application's
 * {@link MessageConverter}s (JSON for objects, text for strings, {@code byte[]} as is), the content
 * type in the {@value SnakeMqHeaders#CONTENT_TYPE} header.
 *
 * <pre>{@code
 * template.convertAndSend("billing", new Invoice("A-17", 42))
 *         .thenAccept(result -> log.info("billing has {}", result.messageId()));
 * }</pre>
 *
 * <p>Each send returns a future that completes with a {@link SendResult} once the peer acknowledged
 * the message (a snakemq-java receiver acknowledges once its listeners handled it), or once it was
 * fully written to a peer that does not acknowledge (the original protocol: {@link
 * SendResult#acknowledged()} is false). It fails with a {@link SnakeMqSendException} when the message
 * is dropped (its TTL ran out, or TTL 0 and the peer not connected) or could not be queued. A message
 * for a peer that stays away waits as long as its TTL allows, and so does its future: give messages a
 * TTL. At most {@code maxPending} futures wait at once; a send beyond fails at once
 * ({@link SnakeMqSendException.Reason#TOO_MANY_PENDING}) without sending. A future the caller cancels
 * or times out ({@code orTimeout}) is forgotten; the message is still delivered.
 *
 * <p>Threads: every method is thread-safe and never waits for the network (a persistent message
 * waits until it is stored). Conversion runs on the calling thread; a conversion failure or a header
 * snakeMQ cannot carry is thrown there. The futures complete on the link's loop thread: hand long work
 * to an executor ({@code thenApplyAsync}).
 */
public final class SnakeMqTemplate implements AutoCloseable {

    private final Messaging messaging;
    private final MessageConverter converter;
    private final SendOptions defaults;
    private final int maxPending;
    private volatile SnakeMqSendInterceptor interceptor = (peer, message, next) -> next.send(message);
    private final Map<UUID, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final Object listening = new Object();
    private volatile boolean listenersAdded;
    private volatile boolean closed;
    private Registration sentRegistration;
    private Registration dropRegistration;

    /**
     * @param converter  turns payloads into bytes and a content type
     * @param defaults   the options of the sends that name none
     * @param maxPending most sends waiting for their outcome at once
     */
    public SnakeMqTemplate(Messaging messaging, MessageConverter converter, SendOptions defaults, int maxPending) {
        this.messaging = Objects.requireNonNull(messaging, "messaging");
        this.converter = Objects.requireNonNull(converter, "converter");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        if (maxPending <= 0) {
            throw new IllegalArgumentException("maxPending must be positive: " + maxPending);
        }
        this.maxPending = maxPending;
    }

    /**
     * Stands around every send from now on (default: none), for example the observation of sends.
     * Thread-safe.
     */
    public void setInterceptor(SnakeMqSendInterceptor interceptor) {
        this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
    }

    /** The options of sends that name none. */
    public SendOptions defaults() {
        return defaults;
    }

    /** Sends that wait for their acknowledgement (or drop) now. */
    public int pendingCount() {
        return pendingCount.get();
    }

    /** Converts {@code payload} and sends it with the {@link #defaults()}. */
    public CompletableFuture<SendResult> convertAndSend(String peer, Object payload) {
        return convertAndSend(peer, payload, defaults);
    }

    /** Converts {@code payload} and sends it as {@code options} say. */
    public CompletableFuture<SendResult> convertAndSend(String peer, Object payload, SendOptions options) {
        Objects.requireNonNull(payload, "payload");
        return send(peer, payload, Map.of(), options);
    }

    /** Sends a spring-messaging message (its payload converted unless it is a {@code byte[]}) with the {@link #defaults()}. */
    public CompletableFuture<SendResult> send(String peer, org.springframework.messaging.Message<?> message) {
        return send(peer, message, defaults);
    }

    /**
     * Sends a spring-messaging message: its headers go on the wire beside {@code options}' headers
     * (those win), its {@code contentType} picks the converter unless {@code options} names one. Its id
     * and timestamp stay behind: snakeMQ gives the message an id of its own ({@link SendResult#messageId()}).
     */
    public CompletableFuture<SendResult> send(String peer, org.springframework.messaging.Message<?> message,
                                              SendOptions options) {
        Objects.requireNonNull(message, "message");
        return send(peer, message.getPayload(), message.getHeaders(), options);
    }

    private CompletableFuture<SendResult> send(String peer, Object payload, Map<String, Object> headers,
                                               SendOptions options) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(options, "options");
        Map<String, Object> all = new HashMap<>(headers);
        all.putAll(options.headers());
        if (options.contentType() != null) {
            all.put(MessageHeaders.CONTENT_TYPE, options.contentType());
        }
        byte[] data;
        Map<String, Object> wire;
        if (payload instanceof byte[] bytes) {
            data = bytes;
            wire = all;
        } else {
            org.springframework.messaging.Message<?> converted = converter.toMessage(payload,
                    all.isEmpty() ? null : new MessageHeaders(all));
            if (converted == null || !(converted.getPayload() instanceof byte[] bytes)) {
                Object contentType = all.get(MessageHeaders.CONTENT_TYPE);
                throw new MessageConversionException("no message converter turns a " + payload.getClass().getName()
                        + (contentType == null ? "" : " into " + contentType) + " bytes");
            }
            data = bytes;
            wire = converted.getHeaders();
        }
        Headers wireHeaders = SnakeMqHeaderMapper.toWire(wire);
        Message message = new Message(MessageIds.random(), data, options.ttl(),
                options.persistent() ? Message.FLAG_PERSISTENT : 0, wireHeaders);
        return interceptor.intercept(peer, message, intercepted -> doSend(peer, intercepted));
    }

    /** Queues one converted message and tracks its outcome: the one place a message leaves the template. */
    private CompletableFuture<SendResult> doSend(String peer, Message message) {
        UUID id = message.uuid();
        if (closed) {
            return CompletableFuture.failedFuture(new SnakeMqSendException(SnakeMqSendException.Reason.CLOSED, peer,
                    id, "the template is closed; message " + id + " for " + peer + " was not sent", null));
        }
        addListeners();
        if (pendingCount.incrementAndGet() > maxPending) {
            pendingCount.decrementAndGet();
            return CompletableFuture.failedFuture(new SnakeMqSendException(
                    SnakeMqSendException.Reason.TOO_MANY_PENDING, peer, id, maxPending + " sends already wait for "
                    + "their acknowledgement (snakemq.template.max-pending); message " + id + " for " + peer
                    + " was not sent", null));
        }
        CompletableFuture<SendResult> future = new CompletableFuture<>();
        Pending entry = new Pending(peer, future);
        pending.put(id, entry);
        // whoever completes it (acknowledgement, drop, close, the caller's cancel or timeout) frees the slot
        future.whenComplete((result, error) -> {
            if (pending.remove(id, entry)) {
                pendingCount.decrementAndGet();
            }
        });
        try {
            messaging.send(peer, message);
        } catch (RuntimeException e) {
            future.completeExceptionally(new SnakeMqSendException(SnakeMqSendException.Reason.NOT_QUEUED, peer, id,
                    "message " + id + " for " + peer + " could not be queued: " + e.getMessage(), e));
        }
        return future;
    }

    private void addListeners() {
        if (listenersAdded) {
            return;
        }
        synchronized (listening) {
            if (!listenersAdded && !closed) {
                sentRegistration = messaging.onMessageSent().add(this::sent);
                dropRegistration = messaging.onMessageDropped().add(this::dropped);
                listenersAdded = true;
            }
        }
    }

    private void sent(Connection connection, String identity, UUID uuid) {
        Pending entry = pending.get(uuid);
        if (entry != null) {
            entry.future().complete(new SendResult(identity, uuid, messaging.acknowledges(identity)));
        }
    }

    private void dropped(String identity, UUID uuid) {
        Pending entry = pending.get(uuid);
        if (entry != null) {
            entry.future().completeExceptionally(new SnakeMqSendException(SnakeMqSendException.Reason.DROPPED, identity, uuid,
                    "message " + uuid + " for " + identity + " was dropped: its TTL ran out (or was 0) while "
                    + identity + " was not connected", null));
        }
    }

    /**
     * Stops tracking: every waiting future fails with {@link SnakeMqSendException.Reason#CLOSED} (their
     * messages stay queued and may still be delivered), later sends fail at once.
     */
    @Override
    public void close() {
        synchronized (listening) {
            closed = true;
            if (sentRegistration != null) {
                sentRegistration.close();
                dropRegistration.close();
            }
        }
        pending.forEach((id, entry) -> entry.future().completeExceptionally(new SnakeMqSendException(
                SnakeMqSendException.Reason.CLOSED, entry.peer(), id, "the template closed before " + entry.peer()
                + " acknowledged message " + id + "; it may still be delivered", null)));
    }

    /** A send waiting for its outcome. */
    private record Pending(String peer, CompletableFuture<SendResult> future) {
    }
}
