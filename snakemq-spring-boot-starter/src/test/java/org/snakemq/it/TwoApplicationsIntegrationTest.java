package org.snakemq.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.spring.SnakeMessageReceivedEvent;
import org.snakemq.spring.SnakePeerConnectedEvent;
import org.snakemq.spring.SnakeRpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Spring Boot applications in one JVM, configured only through properties: bob listens on a free
 * port, alice connects to it. They exchange messages received through {@code @EventListener}, bob
 * calls alice's {@code @SnakeRpc} bean through an injected {@code @SnakeRpcClient} proxy, and the
 * meters and health appear through the actuator endpoints.
 */
class TwoApplicationsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void twoPeersExchangeMessagesAndShowMetersAndHealth() {
        Thread bobLoop;
        try (ConfigurableApplicationContext bob = start("bob", "snakemq.listeners[0].host=127.0.0.1",
                "snakemq.listeners[0].port=0")) {
            int port = bob.getBean(Link.class).listenerAddresses().get(0).getPort();
            try (ConfigurableApplicationContext alice = start("alice", "snakemq.connectors[0].host=127.0.0.1",
                    "snakemq.connectors[0].port=" + port, "snakemq.connectors[0].reconnect-interval=100ms")) {
                Inbox bobInbox = bob.getBean(Inbox.class);
                Inbox aliceInbox = alice.getBean(Inbox.class);
                await().atMost(WAIT).until(() -> bobInbox.peers.contains("alice") && aliceInbox.peers.contains("bob"));

                for (int i = 0; i < 5; i++) {
                    alice.getBean(Messaging.class).send("bob", Message.of("ping " + i));
                }
                await().atMost(WAIT).until(() -> aliceInbox.texts.size() == 5);
                assertThat(bobInbox.texts).containsExactly("ping 0", "ping 1", "ping 2", "ping 3", "ping 4");
                assertThat(aliceInbox.texts).containsExactly("pong 0", "pong 1", "pong 2", "pong 3", "pong 4");

                assertThat(bob.getBean(MeterRegistry.class)).isInstanceOf(SimpleMeterRegistry.class);
                MetricsEndpoint bobMetrics = bob.getBean(MetricsEndpoint.class);
                assertThat(bobMetrics.listNames().getNames()).contains("snakemq.messages.received",
                        "snakemq.messages.sent", "snakemq.messages.dropped", "snakemq.bytes.received",
                        "snakemq.bytes.sent", "snakemq.connections", "snakemq.queue.depth");
                assertThat(value(bobMetrics, "snakemq.messages.received")).isEqualTo(5);
                assertThat(value(bobMetrics, "snakemq.connections")).isEqualTo(1);
                await().atMost(WAIT).until(() -> value(alice.getBean(MetricsEndpoint.class), "snakemq.messages.sent") == 5);
                assertThat(value(alice.getBean(MetricsEndpoint.class), "snakemq.bytes.sent")).isPositive();

                // RPC: bob calls alice's @SnakeRpc bean through the proxy injected into GreetingService
                assertThat(bob.getBean(GreetingService.class).greetAlice("bob")).isEqualTo("hello bob from alice");
                MetricsEndpoint.MetricDescriptor calls = bob.getBean(MetricsEndpoint.class).metric(
                        "snakemq.rpc.client.calls", List.of("object:greeter", "method:greet", "outcome:success"));
                assertThat(calls).isNotNull();
                assertThat(calls.getMeasurements()).anySatisfy(sample -> {
                    assertThat(sample.getStatistic()).isEqualTo(io.micrometer.core.instrument.Statistic.COUNT);
                    assertThat(sample.getValue()).isEqualTo(1.0);
                });

                HealthEndpoint health = bob.getBean(HealthEndpoint.class);
                assertThat(health.healthForPath("snakeMq").getStatus()).isEqualTo(Status.UP);
            }
            bobLoop = loopThread(bob.getBean(Link.class));
        }
        await().atMost(WAIT).until(() -> !bobLoop.isAlive());
        // nothing the starter started outlives the contexts
        await().atMost(WAIT).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(Thread::isAlive).extracting(Thread::getName)
                .noneMatch(name -> name.startsWith("snakemq-link-") || name.startsWith("snakemq-rpc-")
                        || name.startsWith("snakemq-events-") || name.startsWith("snakemq-storage-")));
    }

    private static Thread loopThread(Link link) {
        java.util.concurrent.CompletableFuture<Thread> thread = new java.util.concurrent.CompletableFuture<>();
        link.execute(() -> thread.complete(Thread.currentThread()));
        return thread.join();
    }

    private static double value(MetricsEndpoint endpoint, String name) {
        MetricsEndpoint.MetricDescriptor metric = endpoint.metric(name, List.of());
        return metric == null ? -1 : metric.getMeasurements().get(0).getValue();
    }

    private static ConfigurableApplicationContext start(String identity, String... properties) {
        return new SpringApplicationBuilder(PeerApplication.class)
                .web(WebApplicationType.NONE)
                .properties("snakemq.identity=" + identity, "spring.main.banner-mode=off",
                        "management.endpoints.web.exposure.include=health,metrics",
                        "management.endpoint.health.show-details=always")
                .properties(properties)
                .run();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PeerApplication {

        @Bean
        Inbox inbox(Messaging messaging) {
            return new Inbox(messaging);
        }

        @Bean
        @SnakeRpc("greeter")
        GreeterImpl greeter(Messaging messaging) {
            return new GreeterImpl(messaging.identity());
        }

        @Bean
        GreetingService greetingService(Greeter greeter) {
            return new GreetingService(greeter);
        }
    }

    /** Served over RPC by each application. */
    public static class GreeterImpl {
        private final String identity;

        GreeterImpl(String identity) {
            this.identity = identity;
        }

        public String greet(String name) {
            return "hello " + name + " from " + identity;
        }
    }

    /** Gets the remote greeter through its constructor. */
    static class GreetingService {
        private final Greeter alicesGreeter;

        GreetingService(Greeter alicesGreeter) {
            this.alicesGreeter = alicesGreeter;
        }

        String greetAlice(String name) {
            return alicesGreeter.greet(name);
        }
    }

    /** Records received texts and connected peers; bob answers every "ping n" with "pong n". */
    static class Inbox {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final List<String> peers = new CopyOnWriteArrayList<>();
        private final Messaging messaging;

        Inbox(Messaging messaging) {
            this.messaging = messaging;
        }

        @EventListener
        void received(SnakeMessageReceivedEvent event) {
            String text = event.message().text();
            texts.add(text);
            if (text.startsWith("ping ")) {
                messaging.send(event.identity(), Message.of("pong " + text.substring(5)));
            }
        }

        @EventListener
        void connected(SnakePeerConnectedEvent event) {
            peers.add(event.identity());
        }
    }
}
