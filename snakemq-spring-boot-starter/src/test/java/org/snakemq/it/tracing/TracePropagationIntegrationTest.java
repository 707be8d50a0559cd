package org.snakemq.it.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.spring.SnakeListener;
import org.snakemq.spring.SnakeMqTemplate;
import org.snakemq.spring.SnakeRpc;
import org.snakemq.spring.metrics.RpcCallTimer;
import org.snakemq.spring.observation.SnakeMqSendObserver;

/**
 * Two Spring Boot applications with {@code snakemq.observation.enabled=true}, each with its own tracer
 * (Micrometer Tracing's test tracer): a trace started in one continues in the other, through a
 * message sent with {@link SnakeMqTemplate} (or with {@code Messaging} and the send observer) to a
 * {@code @SnakeListener}, one span per attempt, and through {@code @SnakeRpcClient} calls to a
 * {@code @SnakeRpc} method; the RPC client's observation is the only {@code snakemq.rpc.client.calls}
 * timer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracePropagationIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private ConfigurableApplicationContext bob;
    private ConfigurableApplicationContext alice;

    @BeforeAll
    void start() {
        bob = start("bob", "snakemq.listeners[0].host=127.0.0.1", "snakemq.listeners[0].port=0");
        int port = bob.getBean(Link.class).listenerAddresses().get(0).getPort();
        alice = start("alice", "snakemq.connectors[0].host=127.0.0.1", "snakemq.connectors[0].port=" + port,
                "snakemq.connectors[0].reconnect-interval=100ms");
        await().atMost(WAIT).until(() -> bob.getBean(Messaging.class).isConnected("alice")
                && alice.getBean(Messaging.class).isConnected("bob"));
    }

    @AfterAll
    void stop() {
        if (alice != null) {
            alice.close();
        }
        if (bob != null) {
            bob.close();
        }
    }

    @Test
    void aMessageSentThroughTheTemplateIsProcessedInTheSameTraceInTheOtherApplication() {
        SnakeMqTemplate template = alice.getBean(SnakeMqTemplate.class);
        String traceId = inNewTrace(alice, () -> template.convertAndSend("bob", "traced").join());

        Message received = bob.getBean(Received.class).await("traced");
        SimpleSpan send = finishedSpan(alice, "bob send", received.uuid().toString());
        SimpleSpan process = finishedSpan(bob, "alice process", received.uuid().toString());
        assertThat(send.getTraceId()).isEqualTo(traceId);
        assertThat(send.getKind()).isEqualTo(Span.Kind.PRODUCER);
        assertThat(send.getTags()).containsEntry("peer", "bob").containsEntry("persistent", "false")
                .containsEntry("outcome", "success");
        assertThat(process.getKind()).isEqualTo(Span.Kind.CONSUMER);
        assertThat(process.getTraceId()).isEqualTo(traceId);
        assertThat(process.getParentId()).isEqualTo(send.getSpanId());
        assertThat(process.getTags()).containsEntry("peer", "alice").containsEntry("outcome", "success")
                .containsEntry("snakemq.delivery.attempt", "1");
        // the listener ran inside its observation: the current span was the process span
        assertThat(bob.getBean(Received.class).traceIds.get("traced")).isEqualTo(traceId);
        assertThat(received.headers().get(TestPropagator.HEADER)).startsWith(traceId);
    }

    @Test
    void aMessageSentThroughMessagingWithTheSendObserverContinuesTheTraceToo() {
        SnakeMqSendObserver observer = alice.getBean(SnakeMqSendObserver.class);
        Messaging messaging = alice.getBean(Messaging.class);
        String traceId = inNewTrace(alice, () -> observer.send("bob", Message.of("direct"), messaging::send));

        Message received = bob.getBean(Received.class).await("direct");
        SimpleSpan process = finishedSpan(bob, "alice process", received.uuid().toString());
        assertThat(process.getTraceId()).isEqualTo(traceId);
        assertThat(process.getParentId()).isEqualTo(finishedSpan(alice, "bob send", received.uuid().toString()).getSpanId());
    }

    @Test
    void eachAttemptAtARetriedMessageIsItsOwnObservationInTheSenderTrace() {
        SnakeMqTemplate template = alice.getBean(SnakeMqTemplate.class);
        String traceId = inNewTrace(alice, () -> template.convertAndSend("bob", "flaky").join());

        Message received = bob.getBean(Received.class).await("flaky");
        String id = received.uuid().toString();
        SimpleSpan send = finishedSpan(alice, "bob send", id);
        await().atMost(WAIT).until(() -> spans(bob, "alice process", id).size() == 2);
        assertThat(spans(bob, "alice process", id)).allSatisfy(span -> {
            assertThat(span.getTraceId()).isEqualTo(traceId);
            assertThat(span.getParentId()).isEqualTo(send.getSpanId());
        }).extracting(span -> span.getTags().get("snakemq.delivery.attempt") + " " + span.getTags().get("outcome"))
                .containsExactlyInAnyOrder("1 error", "2 success");
        MeterRegistry meters = bob.getBean(MeterRegistry.class);
        assertThat(meters.find("snakemq.listener").tag("outcome", "error").timer()).isNotNull()
                .satisfies(timer -> assertThat(timer.count()).isEqualTo(1));
    }

    @Test
    void anRpcCallMadeInOneApplicationIsServedInTheSameTraceInTheOther() {
        Echo echo = bob.getBean(Echo.class);
        String traceId = inNewTrace(bob, () -> assertThat(echo.say("hi")).isEqualTo("hi from alice"));
        SimpleSpan client = finishedSpan(bob, "echo.say");
        SimpleSpan server = finishedSpan(alice, "echo.say");
        assertThat(client.getTraceId()).isEqualTo(traceId);
        assertThat(client.getKind()).isEqualTo(Span.Kind.CLIENT);
        assertThat(server.getKind()).isEqualTo(Span.Kind.SERVER);
        assertThat(server.getTraceId()).isEqualTo(client.getTraceId());
        assertThat(server.getParentId()).isEqualTo(client.getSpanId());
        assertThat(server.getTags()).containsEntry("peer", "bob").containsEntry("object", "echo")
                .containsEntry("method", "say").containsEntry("outcome", "success");

        String asyncTraceId = inNewTrace(bob, () -> assertThat(echo.sayLater("later").join()).isEqualTo("later from alice"));
        SimpleSpan asyncClient = finishedSpan(bob, "echo.sayLater");
        SimpleSpan asyncServer = finishedSpan(alice, "echo.sayLater");
        assertThat(asyncClient.getTraceId()).isEqualTo(asyncTraceId).isNotEqualTo(traceId);
        assertThat(asyncServer.getTraceId()).isEqualTo(asyncTraceId);
        assertThat(asyncServer.getParentId()).isEqualTo(asyncClient.getSpanId());
    }

    @Test
    void theRpcClientObservationIsTheOnlyCallTimer() {
        assertThat(bob.getBeanProvider(RpcCallTimer.class).getIfAvailable()).isNull();
        Echo echo = bob.getBean(Echo.class);
        MeterRegistry meters = bob.getBean(MeterRegistry.class);
        long before = saysTimed(meters);
        assertThat(echo.say("ping")).isEqualTo("ping from alice");
        List<Timer> timers = List.copyOf(meters.find("snakemq.rpc.client.calls").tag("method", "say").timers());
        assertThat(timers).singleElement().satisfies(timer -> {
            assertThat(timer.getId().getTag("peer")).isEqualTo("alice");
            assertThat(timer.getId().getTag("object")).isEqualTo("echo");
            assertThat(timer.getId().getTag("outcome")).isEqualTo("success");
        });
        assertThat(saysTimed(meters)).isEqualTo(before + 1);
        await().atMost(WAIT).until(() -> alice.getBean(MeterRegistry.class).find("snakemq.rpc.server.calls")
                .tag("method", "say").timer() != null);
    }

    /** Calls of echo.say that the RPC client's timers counted, all of them together. */
    private static long saysTimed(MeterRegistry meters) {
        return meters.find("snakemq.rpc.client.calls").tag("method", "say").timers().stream()
                .mapToLong(Timer::count).sum();
    }

    /**
     * Runs {@code work} in a new trace of {@code context}'s tracer, as an incoming request would;
     * returns the trace's id.
     */
    private static String inNewTrace(ConfigurableApplicationContext context, Runnable work) {
        ObservationRegistry registry = context.getBean(ObservationRegistry.class);
        Observation request = Observation.start("test.request", registry);
        try (Observation.Scope scope = request.openScope()) {
            work.run();
        } finally {
            request.stop();
        }
        String traceId = context.getBean(SimpleTracer.class).getSpans().stream()
                .filter(span -> "test.request".equals(span.getName())).reduce((a, b) -> b).orElseThrow().getTraceId();
        assertThat(traceId).isNotEmpty();
        return traceId;
    }

    /** The last finished span of that name (and message id, when given). */
    private static SimpleSpan finishedSpan(ConfigurableApplicationContext context, String name, String messageId) {
        return await().atMost(WAIT).until(() -> spans(context, name, messageId).stream()
                .reduce((first, second) -> second).orElse(null), span -> span != null);
    }

    private static SimpleSpan finishedSpan(ConfigurableApplicationContext context, String name) {
        return finishedSpan(context, name, null);
    }

    private static List<SimpleSpan> spans(ConfigurableApplicationContext context, String name, String messageId) {
        return context.getBean(SimpleTracer.class).getSpans().stream()
                .filter(span -> name.equals(span.getName()) && span.getEndTimestamp().isAfter(Instant.EPOCH))
                .filter(span -> messageId == null || messageId.equals(span.getTags().get("snakemq.message.id")))
                .toList();
    }

    private static ConfigurableApplicationContext start(String identity, String... properties) {
        return new SpringApplicationBuilder(TracedApplication.class)
                .web(WebApplicationType.NONE)
                .properties("snakemq.identity=" + identity, "spring.main.banner-mode=off",
                        "snakemq.observation.enabled=true", "snakemq.rpc.call-timeout=10s",
                        "snakemq.delivery.retry.initial-delay=10ms", "snakemq.delivery.retry.max-delay=20ms",
                        "snakemq.template.ttl=30s")
                .properties(properties)
                .run();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TracedApplication {

        @Bean
        SimpleTracer tracer() {
            return new SimpleTracer();
        }

        @Bean
        ObservationHandler<Observation.Context> tracingHandler(SimpleTracer tracer) {
            TestPropagator propagator = new TestPropagator(tracer);
            return new ObservationHandler.FirstMatchingCompositeObservationHandler(
                    new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                    new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                    new DefaultTracingObservationHandler(tracer));
        }

        @Bean
        Received received(SimpleTracer tracer) {
            return new Received(tracer);
        }

        @Bean
        @SnakeRpc("echo")
        EchoImpl echo(Messaging messaging) {
            return new EchoImpl(messaging.identity());
        }
    }

    /**
     * Messages the @SnakeListener handled by text, and the trace current while it ran; "flaky" fails
     * its first attempt.
     */
    static class Received {
        final Map<String, Message> messages = new ConcurrentHashMap<>();
        final Map<String, String> traceIds = new ConcurrentHashMap<>();
        private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        private final SimpleTracer tracer;

        Received(SimpleTracer tracer) {
            this.tracer = tracer;
        }

        @SnakeListener
        void onMessage(Message message) {
            String text = message.text();
            if (text.equals("flaky") && failedOnce.add(text)) {
                throw new IllegalStateException("first attempt fails");
            }
            Span current = tracer.currentSpan();
            traceIds.put(text, current == null ? "none" : current.context().traceId());
            messages.put(text, message);
        }

        Message await(String text) {
            return org.awaitility.Awaitility.await().atMost(WAIT).until(() -> messages.get(text), m -> m != null);
        }
    }

    /** Served by each application. */
    public static class EchoImpl {
        private final String identity;

        EchoImpl(String identity) {
            this.identity = identity;
        }

        public String say(String text) {
            return text + " from " + identity;
        }

        public CompletableFuture<String> sayLater(String text) {
            return CompletableFuture.supplyAsync(() -> text + " from " + identity);
        }
    }
}
