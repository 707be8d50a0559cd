package org.snakemq.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import org.snakemq.link.Link;
import org.snakemq.link.ReconnectBackoff;

/** snakemq.link.reconnect-*: the connectors' back-off. */
class SnakeMqReconnectPropertiesTest {

    private final ApplicationContextRunner runner = SnakeMqContexts.snakeMq();

    /** A loopback port nobody listens on: the connectors dial it and back off. */
    private static int closedPort() throws IOException {
        return closedPorts()[0];
    }

    /** Two different loopback ports nobody listens on. */
    private static int[] closedPorts() throws IOException {
        try (ServerSocket a = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             ServerSocket b = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        }
    }

    private static List<ReconnectBackoff> backoffs(SnakeMqLifecycle lifecycle) {
        return lifecycle.connectors().stream().map(SnakeMqLifecycle.Endpoint::reconnect).toList();
    }

    @Test
    void withoutSettingsConnectorsGetTheCoresDefaultBackoffFromThreeSeconds() throws IOException {
        SnakeMqProperties.Link defaults = new SnakeMqProperties().getLink();
        assertThat(defaults.getReconnectMultiplier()).isEqualTo(ReconnectBackoff.DEFAULT_MULTIPLIER);
        assertThat(defaults.getReconnectJitter()).isEqualTo(ReconnectBackoff.DEFAULT_JITTER);
        assertThat(defaults.getReconnectMaxInterval()).isNull();
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.connectors[0].host=127.0.0.1",
                "snakemq.connectors[0].port=" + closedPort()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(backoffs(context.getBean(SnakeMqLifecycle.class)))
                    .containsExactly(ReconnectBackoff.startingAt(Duration.ofSeconds(3)));
            assertThat(context.getBean(Link.class).isRunning()).isTrue();
        });
    }

    @Test
    void theSettingsReachEveryConnectorsBackoffAndAConnectorKeepsItsOwnFirstWait() throws IOException {
        int[] ports = closedPorts();
        int port = ports[0];
        int other = ports[1];
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.link.reconnect-interval=250ms",
                "snakemq.link.reconnect-max-interval=5s", "snakemq.link.reconnect-multiplier=1.5",
                "snakemq.link.reconnect-jitter=0.1",
                "snakemq.connectors[0].host=127.0.0.1", "snakemq.connectors[0].port=" + port,
                "snakemq.connectors[1].host=127.0.0.1", "snakemq.connectors[1].port=" + other,
                "snakemq.connectors[1].reconnect-interval=1s").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(backoffs(context.getBean(SnakeMqLifecycle.class))).containsExactly(
                    new ReconnectBackoff(Duration.ofMillis(250), 1.5, Duration.ofSeconds(5), 0.1),
                    new ReconnectBackoff(Duration.ofSeconds(1), 1.5, Duration.ofSeconds(5), 0.1));
        });
    }

    /** Bob with the {@code link} settings and one connector, to a closed port, that first waits {@code firstWait}. */
    private ApplicationContextRunner oneConnectorWaiting(String firstWait, String... link) throws IOException {
        return runner.withPropertyValues(link).withPropertyValues("snakemq.identity=bob",
                "snakemq.connectors[0].host=127.0.0.1", "snakemq.connectors[0].port=" + closedPort(),
                "snakemq.connectors[0].reconnect-interval=" + firstWait);
    }

    @Test
    void withoutAMaximumEachConnectorWaitsAtMostTenTimesItsFirstWait() throws IOException {
        oneConnectorWaiting("2s", "snakemq.link.reconnect-multiplier=1", "snakemq.link.reconnect-jitter=0")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(backoffs(context.getBean(SnakeMqLifecycle.class))).containsExactly(
                            new ReconnectBackoff(Duration.ofSeconds(2), 1.0, Duration.ofSeconds(20), 0.0));
                });
    }

    @Test
    void badSettingsFailNamingTheProperty() {
        for (String[] bad : List.of(
                new String[] {"snakemq.link.reconnect-multiplier=0.5", "snakemq.link.reconnect-multiplier"},
                new String[] {"snakemq.link.reconnect-jitter=1.5", "snakemq.link.reconnect-jitter"},
                new String[] {"snakemq.link.reconnect-jitter=-0.1", "snakemq.link.reconnect-jitter"},
                new String[] {"snakemq.link.reconnect-max-interval=0s", "snakemq.link.reconnect-max-interval"},
                new String[] {"snakemq.link.reconnect-max-interval=1s", "snakemq.link.reconnect-max-interval"})) {
            runner.withPropertyValues("snakemq.identity=bob", bad[0]).run(context -> {
                assertThat(context).as(bad[0]).hasFailed();
                assertThat(context.getStartupFailure()).as(bad[0]).rootCause().hasMessageContaining(bad[1]);
            });
        }
    }

    @Test
    void aMaximumBelowAConnectorsFirstWaitNamesBothProperties() throws IOException {
        oneConnectorWaiting("5s", "snakemq.link.reconnect-interval=1s", "snakemq.link.reconnect-max-interval=2s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("snakemq.link.reconnect-max-interval")
                            .hasMessageContaining("snakemq.connectors[0].reconnect-interval");
                });
    }

    @Test
    void theBootMetadataDescribesTheSettings() throws IOException {
        String metadata;
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated by spring-boot-configuration-processor").isNotNull();
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String key : List.of("snakemq.link.reconnect-max-interval", "snakemq.link.reconnect-multiplier",
                "snakemq.link.reconnect-jitter")) {
            int at = metadata.indexOf("\"name\": \"" + key + "\"");
            assertThat(at).as(key).isNotNegative();
            String entry = metadata.substring(metadata.lastIndexOf('{', at), metadata.indexOf('}', at));
            assertThat(entry).as(key).contains("\"description\"");
        }
    }
}
