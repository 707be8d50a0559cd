package org.snakemq.autoconfigure;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import org.snakemq.autoconfigure.health.SnakeMqHealthContributorAutoConfiguration;
import org.snakemq.autoconfigure.metrics.SnakeMqMetricsAutoConfiguration;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.spring.health.SnakeMqHealthIndicator;
import org.snakemq.spring.metrics.SnakeMqMeterBinder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Meters and health with the actuator modules present, and the starter without them. */
class SnakeMqActuatorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = SnakeMqContexts.snakeMq(SnakeMqMetricsAutoConfiguration.class,
            SnakeMqHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class,
            HealthContributorRegistryAutoConfiguration.class)
            .withConfiguration(SnakeMqContexts.SIMPLE_METRICS)
            .withPropertyValues(SnakeMqContexts.BOB_LISTENING);

    @Test
    void metersMoveWithTraffic() {
        runner.withPropertyValues("snakemq.metrics.max-peer-tags=1").run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            Messaging bob = context.getBean(Messaging.class);
            int port = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            assertThat(counter(registry, "snakemq.messages.received")).isZero();
            try (CorePeer alice = new CorePeer("alice").connectTo(port, null)) {
                await().atMost(WAIT).until(() -> bob.isConnected("alice"));
                for (int i = 0; i < 10; i++) {
                    alice.messaging.send("bob", Message.of("hello " + i));
                    bob.send("alice", Message.of("hi " + i));
                }
                await().atMost(WAIT).until(() -> counter(registry, "snakemq.messages.received") == 10
                        && counter(registry, "snakemq.messages.sent") == 10);
                assertThat(counter(registry, "snakemq.bytes.received")).isPositive();
                assertThat(counter(registry, "snakemq.bytes.sent")).isPositive();
                assertThat(gauge(registry, "snakemq.connections", Map.of())).isEqualTo(1);
                assertThat(gauge(registry, "snakemq.peers.connected", Map.of())).isEqualTo(1);
                assertThat(gauge(registry, "snakemq.queue.depth", Map.of("peer", "alice"))).isZero();
                assertThat(registry.find("snakemq.messages.received").tag("identity", "bob").functionCounter())
                        .isNotNull();
            }
            // queues of peers beyond the tag limit (here: 1) are summed under peer=other
            bob.send("carol", Message.of("waits"));
            bob.send("dave", Message.of("waits"));
            await().atMost(WAIT).until(() -> gauge(registry, "snakemq.queue.depth", Map.of("peer", "other")) == 2);
            assertThat(registry.find("snakemq.queue.depth").gauges()).hasSize(2); // alice and other
            bob.send("nobody", Message.of("dropped").withTtl(Duration.ZERO));
            await().atMost(WAIT).until(() -> counter(registry, "snakemq.messages.dropped") == 1);
        });
    }

    @Test
    void noMetersWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SnakeMqMeterBinder.class)
                        .hasSingleBean(Messaging.class));
    }

    @Test
    void healthIsUpWhileTheLinkRunsAndAMissingRemotePeerIsNotDown() {
        // the connector points at a port where nobody listens
        runner.withPropertyValues("snakemq.connectors[0].host=127.0.0.1", "snakemq.connectors[0].port=1",
                "snakemq.connectors[0].reconnect-interval=100ms").run(context -> {
            SnakeMqHealthIndicator indicator = context.getBean(SnakeMqHealthIndicator.class);
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("identity", "bob").containsEntry("connectedPeerCount", 0)
                    .containsKey("listening");
            assertThat(context.getBean(HealthContributorRegistry.class).getContributor("snakeMq")).isSameAs(indicator);

            context.getBean(SnakeMqLifecycle.class).stop();
            assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void healthListsConnectedPeers() {
        runner.run(context -> {
            int port = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            try (CorePeer alice = new CorePeer("alice").connectTo(port, null)) {
                await().atMost(WAIT).until(() -> context.getBean(Messaging.class).isConnected("alice"));
                Health health = context.getBean(SnakeMqHealthIndicator.class).health();
                assertThat(health.getDetails()).containsEntry("connectedPeers", java.util.List.of("alice"))
                        .containsEntry("connections", 1);
            }
        });
    }

    @Test
    void healthIndicatorCanBeSwitchedOff() {
        runner.withPropertyValues("management.health.snakemq.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SnakeMqHealthIndicator.class));
    }

    @Test
    void noHealthIndicatorWithoutTheHealthModule() {
        SnakeMqContexts.snakeMq(SnakeMqHealthContributorAutoConfiguration.class)
                .withPropertyValues("snakemq.identity=bob")
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SnakeMqHealthIndicator.class)
                        .hasSingleBean(Messaging.class));
    }

    @Test
    void startsWithoutSpringJdbc() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.jdbc", "org.springframework.boot.jdbc"))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(Messaging.class)
                        .doesNotHaveBean(DataSource.class));
    }

    private static double counter(MeterRegistry registry, String name) {
        var counter = registry.find(name).functionCounter();
        return counter == null ? -1 : counter.count();
    }

    private static double gauge(MeterRegistry registry, String name, Map<String, String> tags) {
        Search search = registry.find(name);
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            search = search.tag(tag.getKey(), tag.getValue());
        }
        var gauge = search.gauge();
        return gauge == null ? -1 : gauge.value();
    }
}
