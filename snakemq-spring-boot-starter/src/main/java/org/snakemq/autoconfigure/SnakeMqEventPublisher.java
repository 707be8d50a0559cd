package org.snakemq.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;

import org.snakemq.callback.Registration;
import org.snakemq.messaging.Messaging;
import org.snakemq.spring.SnakeMessageDroppedEvent;
import org.snakemq.spring.SnakeMessageReceivedEvent;
import org.snakemq.spring.SnakePeerConnectedEvent;
import org.snakemq.spring.SnakePeerDisconnectedEvent;

/**
 * Publishes what {@link Messaging} reports as Spring application events: received messages (without
 * RPC traffic unless asked), peers connected and disconnected, dropped messages.
 *
 * <p>Threads: events are published on the link's loop thread, so {@code @EventListener} methods run
 * there, unless an executor is given (then they run on it, in the order of the callbacks when the
 * executor has one thread).
 */
public final class SnakeMqEventPublisher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger("snakemq.spring");
    private static final long SHUTDOWN_WAIT_SECONDS = 10;
    private static final byte[] RPC_REQUEST = "rpcreq".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RPC_REPLY = "rpcrep".getBytes(StandardCharsets.US_ASCII);

    private final ApplicationEventPublisher publisher;
    private final Executor executor;
    private final boolean ownsExecutor;
    private final List<Registration> registrations;
    private Boolean publishReceived;

    /**
     * @param executor     where events are published; null publishes on the loop thread
     * @param ownsExecutor whether {@link #destroy()} shuts the executor down (it must then be an
     *                     {@link ExecutorService})
     * @param includeRpc   whether RPC requests and replies are published as received messages
     */
    public SnakeMqEventPublisher(Messaging messaging, ApplicationEventPublisher publisher, Executor executor,
                                 boolean ownsExecutor, boolean includeRpc) {
        this(messaging, publisher, executor, ownsExecutor, includeRpc, () -> true);
    }

    /**
     * @param received whether received messages other than RPC are published here; false when the
     *                 delivery listener container publishes them (on a handler thread, acknowledged
     *                 once the listeners returned). Asked once, when the first message arrives.
     */
    public SnakeMqEventPublisher(Messaging messaging, ApplicationEventPublisher publisher, Executor executor,
                                 boolean ownsExecutor, boolean includeRpc, BooleanSupplier received) {
        this.publisher = publisher;
        this.executor = executor;
        this.ownsExecutor = ownsExecutor;
        this.registrations = List.of(
                messaging.onMessageReceived().add((connection, identity, message) -> {
                    boolean rpc = isRpc(message.data());
                    if (rpc ? includeRpc : publishesReceived(received)) {
                        publish(new SnakeMessageReceivedEvent(identity, message, connection));
                    }
                }),
                messaging.onConnect().add((connection, identity) ->
                        publish(new SnakePeerConnectedEvent(identity, connection))),
                messaging.onDisconnect().add((connection, identity) ->
                        publish(new SnakePeerDisconnectedEvent(identity, connection))),
                messaging.onMessageDropped().add((identity, uuid) ->
                        publish(new SnakeMessageDroppedEvent(identity, uuid))));
    }

    /** Loop thread only: the answer of the supplier, asked once. */
    private boolean publishesReceived(BooleanSupplier received) {
        if (publishReceived == null) {
            publishReceived = received.getAsBoolean();
        }
        return publishReceived;
    }

    /** Whether the data is an RPC request or reply: the wire prefixes of snakeMQ RPC. */
    static boolean isRpc(byte[] data) {
        return startsWith(data, RPC_REQUEST) || startsWith(data, RPC_REPLY);
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private void publish(Object event) {
        if (executor == null) {
            publisher.publishEvent(event);
            return;
        }
        try {
            executor.execute(() -> publisher.publishEvent(event));
        } catch (RejectedExecutionException e) {
            log.debug("event executor is shut down; {} not published", event);
        }
    }

    /** Stops publishing; an owned executor publishes what it has queued and its thread ends. */
    @Override
    public void destroy() throws InterruptedException {
        registrations.forEach(Registration::close);
        if (ownsExecutor && executor instanceof ExecutorService service) {
            service.shutdown();
            if (!service.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("event listeners still running after {} s; interrupting", SHUTDOWN_WAIT_SECONDS);
                service.shutdownNow();
            }
        }
    }
}
