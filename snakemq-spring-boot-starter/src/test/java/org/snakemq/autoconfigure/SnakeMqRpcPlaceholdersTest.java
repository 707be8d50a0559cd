package org.snakemq.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import org.snakemq.autoconfigure.rpcplaceholders.ConfiguredCalculator;
import org.snakemq.autoconfigure.rpcunresolved.UnresolvedClient;
import org.snakemq.messaging.Messaging;
import org.snakemq.rpc.RpcServer;
import org.snakemq.spring.EnableSnakeRpcClients;
import org.snakemq.spring.SnakeRpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code ${...}} placeholders in {@link SnakeRpc} and {@code @SnakeRpcClient} attributes. */
class SnakeMqRpcPlaceholdersTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ApplicationContextRunner runner = SnakeMqContexts.snakeMq();

    @Test
    void servedNameAndClientPeerAndObjectComeFromProperties() {
        runner.withPropertyValues(SnakeMqContexts.BOB_LISTENING).withPropertyValues("test.served-name=calculator")
                .withUserConfiguration(ServedUnderAProperty.class).run(bob -> {
            assertThat(bob.getBean(RpcServer.class).registeredNames()).containsExactly("calculator");
            int port = bob.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            runner.withPropertyValues("snakemq.identity=alice", "snakemq.connectors[0].host=127.0.0.1",
                    "snakemq.connectors[0].port=" + port, "snakemq.connectors[0].reconnect-interval=100ms",
                    "snakemq.rpc.call-timeout=10s", "test.calculator.peer=bob")
                    .withUserConfiguration(ConfiguredClients.class).run(alice -> {
                assertThat(alice).hasNotFailed();
                await().atMost(WAIT).until(() -> alice.getBean(Messaging.class).isConnected("bob"));
                // peer from test.calculator.peer, object from the placeholder's default
                assertThat(alice.getBean(ConfiguredCalculator.class).add(2, 3)).isEqualTo(5);
            });
        });
    }

    @Test
    void unresolvedServedNameFailsTheStartNamingTheProperty() {
        runner.withPropertyValues("snakemq.identity=bob").withUserConfiguration(ServedUnderAProperty.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("@SnakeRpc(\"${test.served-name}\")")
                            .hasStackTraceContaining("test.served-name");
                });
    }

    @Test
    void unresolvedClientPeerFailsTheStartNamingTheProperty() {
        runner.withPropertyValues("snakemq.identity=alice").withUserConfiguration(UnresolvedClients.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .hasStackTraceContaining(UnresolvedClient.class.getName())
                            .hasStackTraceContaining("test.undefined.peer");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class ServedUnderAProperty {
        @Bean
        @SnakeRpc("${test.served-name}")
        SnakeMqRpcTest.Calculator calculator() {
            return new SnakeMqRpcTest.Calculator();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableSnakeRpcClients(basePackageClasses = ConfiguredCalculator.class)
    static class ConfiguredClients {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableSnakeRpcClients(basePackageClasses = UnresolvedClient.class)
    static class UnresolvedClients {
    }
}
