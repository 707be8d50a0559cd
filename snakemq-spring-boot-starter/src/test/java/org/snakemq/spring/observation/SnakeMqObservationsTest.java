package org.snakemq.spring.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.observation.transport.SenderContext;
import org.junit.jupiter.api.Test;

import org.snakemq.delivery.Delivery;
import org.snakemq.message.Headers;
import org.snakemq.message.Message;
import org.snakemq.rpc.RpcClientInterceptor;
import org.snakemq.rpc.RpcServerInterceptor;

/**
 * The four observations against Micrometer's test registry (which also fails on a broken lifecycle,
 * such as a second stop): names, keys, errors, asynchronous ends, and the carrier the trace context is
 * written into.
 */
class SnakeMqObservationsTest {

    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final PeerTagLimit peers = new PeerTagLimit(1);

    @Test
    void aSendCarriesWhatThePropagatorWritesAndItsKeys() {
        registry.observationConfig().observationHandler(new Injecting());
        SnakeMqSendObserver observer = new SnakeMqSendObserver(registry, null, peers);
        AtomicReference<Message> sent = new AtomicReference<>();
        Message message = Message.of("hi").withHeader("k", "v").persistent();

        observer.send("bob", message, (peer, m) -> sent.set(m));

        assertThat(sent.get().uuid()).isEqualTo(message.uuid());
        assertThat(sent.get().headers().asMap()).containsExactly(Map.entry("k", "v"), Map.entry("trace", "t-1"));
        TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat().hasNameEqualTo("snakemq.send")
                .hasContextualNameEqualTo("bob send").hasLowCardinalityKeyValue("peer", "bob")
                .hasLowCardinalityKeyValue("persistent", "true").hasLowCardinalityKeyValue("outcome", "success")
                .hasHighCardinalityKeyValue("snakemq.message.id", message.uuid().toString()).hasBeenStopped();
    }

    @Test
    void aPeerBeyondTheTagLimitIsTaggedOtherButKeepsItsIdentityOnTheSpan() {
        SnakeMqSendObserver observer = new SnakeMqSendObserver(registry, null, peers);
        observer.send("bob", Message.of("a"), (peer, m) -> { });
        observer.send("carol", Message.of("b"), (peer, m) -> { });
        TestObservationRegistryAssert.assertThat(registry).hasAnObservation(o -> o.hasContextualNameEqualTo("other send")
                .hasLowCardinalityKeyValue("peer", "other").hasHighCardinalityKeyValue("snakemq.peer.identity", "carol"));
    }

    @Test
    void aFailedSendIsAnErrorAndTheFailurePassesThrough() {
        SnakeMqSendObserver observer = new SnakeMqSendObserver(registry, null, peers);
        IllegalStateException failure = new IllegalStateException("not queued");
        assertThatThrownBy(() -> observer.send("bob", Message.of("x"), (peer, m) -> {
            throw failure;
        })).isSameAs(failure);
        TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat().hasError(failure)
                .hasLowCardinalityKeyValue("outcome", "error").hasBeenStopped();
    }

    @Test
    void anAsynchronousSendIsObservedUntilItsStageCompletes() {
        SnakeMqSendObserver observer = new SnakeMqSendObserver(registry, null, peers);
        CompletableFuture<Object> later = new CompletableFuture<>();
        Object returned = observer.sendAsync("bob", Message.of("y"), (peer, m) -> later);
        assertThat(returned).isSameAs(later);
        TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat().isNotStopped();
        IllegalStateException dropped = new IllegalStateException("dropped");
        later.completeExceptionally(dropped);
        TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat().hasError(dropped)
                .hasLowCardinalityKeyValue("outcome", "error").hasBeenStopped();
    }

    @Test
    void headersBeyondTheLimitsFailTheSendBeforeAnythingIsSent() {
        registry.observationConfig().observationHandler(new Injecting());
        SnakeMqSendObserver observer = new SnakeMqSendObserver(registry, null, peers);
        Headers full = Headers.EMPTY;
        for (int i = 0; i < Headers.MAX_COUNT; i++) {
            full = full.with("h" + i, "v");
        }
        Message message = Message.of("x").withHeaders(full);
        assertThatThrownBy(() -> observer.send("bob", message, (peer, m) -> {
            throw new AssertionError("sent");
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too many headers");
        TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat().hasBeenStopped()
                .hasLowCardinalityKeyValue("outcome", "error");
    }

    @Test
    void aListenerAttemptIsObservedUntilItsStageCompletes() throws Exception {
        ObservationSnakeListenerInterceptor interceptor = new ObservationSnakeListenerInterceptor(registry, null, peers);
        Message message = Message.of("m").withHeader("trace", "t-9");
        Delivery delivery = new Delivery("alice", message, 2, Instant.now());
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicReference<Observation> current = new AtomicReference<>();
        assertThat(interceptor.intercept(delivery, () -> {
            current.set(registry.getCurrentObservation());
            return done;
        })).isSameAs(done);
        assertThat(current.get()).isNotNull();
        assertThat(((SnakeMqListenerContext) current.get().getContext()).getCarrier()).isSameAs(message);
        TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat().isNotStopped();
        done.complete(null);
        TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat().hasNameEqualTo("snakemq.listener")
                .hasContextualNameEqualTo("alice process").hasLowCardinalityKeyValue("outcome", "success")
                .hasHighCardinalityKeyValue("snakemq.delivery.attempt", "2").hasBeenStopped();
    }

    @Test
    void aListenerThatThrowsIsAnError() {
        ObservationSnakeListenerInterceptor interceptor = new ObservationSnakeListenerInterceptor(registry, null, peers);
        Delivery delivery = new Delivery("alice", Message.of("m"), 1, Instant.now());
        assertThatThrownBy(() -> interceptor.intercept(delivery, () -> {
            throw new java.io.IOException("broken");
        })).isInstanceOf(java.io.IOException.class);
        TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat()
                .hasLowCardinalityKeyValue("outcome", "error").hasBeenStopped();
    }

    @Test
    void anRpcCallGivesTheRequestTheTraceHeadersAndEndsWithItsFuture() {
        registry.observationConfig().observationHandler(new Injecting());
        ObservationRpcClientInterceptor interceptor = new ObservationRpcClientInterceptor(registry, null, peers);
        AtomicReference<Headers> sent = new AtomicReference<>();
        CompletableFuture<Object> reply = new CompletableFuture<>();
        Object result = interceptor.intercept(new RpcClientInterceptor.OutgoingCall("alice", "clock", "now",
                RpcClientInterceptor.Kind.ASYNC_CALL), headers -> {
            sent.set(headers);
            return reply;
        });
        assertThat(result).isSameAs(reply);
        assertThat(sent.get()).isEqualTo(Headers.of("trace", "t-1"));
        TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat().isNotStopped();
        reply.completeExceptionally(new IllegalStateException("remote failure"));
        TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat()
                .hasNameEqualTo("snakemq.rpc.client.calls").hasContextualNameEqualTo("clock.now")
                .hasLowCardinalityKeyValue("peer", "alice").hasLowCardinalityKeyValue("object", "clock")
                .hasLowCardinalityKeyValue("method", "now").hasLowCardinalityKeyValue("outcome", "error").hasBeenStopped();
    }

    @Test
    void aServedMethodReadsTheCallersHeadersAndEndsWithItsStage() throws Throwable {
        ObservationRpcServerInterceptor interceptor = new ObservationRpcServerInterceptor(registry, null, peers);
        Headers headers = Headers.of("trace", "t-5");
        CompletableFuture<Object> stage = new CompletableFuture<>();
        AtomicReference<Observation> current = new AtomicReference<>();
        interceptor.intercept(new RpcServerInterceptor.IncomingCall("bob", "clock", "now", false, headers), () -> {
            current.set(registry.getCurrentObservation());
            return stage;
        });
        SnakeMqRpcServerContext context = (SnakeMqRpcServerContext) current.get().getContext();
        assertThat(context.getGetter().get(context.getCarrier(), "trace")).isEqualTo("t-5");
        stage.complete("12:00");
        TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat()
                .hasNameEqualTo("snakemq.rpc.server.calls").hasLowCardinalityKeyValue("peer", "bob")
                .hasLowCardinalityKeyValue("outcome", "success").hasBeenStopped();
    }

    /** Writes a fixed trace header into a sender's carrier on start, as a tracing handler does. */
    private static final class Injecting implements ObservationHandler<SenderContext<Object>> {
        @Override
        public void onStart(SenderContext<Object> context) {
            context.getSetter().set(context.getCarrier(), "trace", "t-1");
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof SenderContext<?>;
        }
    }
}
