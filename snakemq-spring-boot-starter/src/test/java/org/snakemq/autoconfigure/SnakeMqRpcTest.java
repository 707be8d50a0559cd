package org.snakemq.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import org.snakemq.autoconfigure.rpc.RpcWorkers;
import org.snakemq.autoconfigure.rpcclients.RemoteCalculator;
import org.snakemq.rpc.RemoteException;
import org.snakemq.rpc.RpcClient;
import org.snakemq.rpc.RpcServer;
import org.snakemq.spring.EnableSnakeRpcClients;
import org.snakemq.spring.SnakeRpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SnakeMqRpcTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ApplicationContextRunner runner = SnakeMqContexts.snakeMq();

    @Test
    void rpcBeansWithProperties() {
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.rpc.call-timeout=7s",
                "snakemq.rpc.transfer-exceptions=false").run(context -> {
            assertThat(context).hasSingleBean(RpcServer.class).hasSingleBean(RpcClient.class)
                    .hasSingleBean(RpcWorkers.class);
            assertThat(context.getBean(RpcClient.class).defaultTimeout()).isEqualTo(Duration.ofSeconds(7));
            assertThat(context.getBean(RpcServer.class).isTransferExceptions()).isFalse();
        });
    }

    @Test
    void rpcCanBeSwitchedOff() {
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.rpc.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(RpcServer.class).doesNotHaveBean(RpcClient.class));
    }

    @Test
    void annotatedBeansAreServed() {
        runner.withPropertyValues("snakemq.identity=bob").withUserConfiguration(Served.class).run(context ->
                assertThat(context.getBean(RpcServer.class).registeredNames())
                        .containsExactlyInAnyOrder("calculator", "viaBeanMethod"));
    }

    @Test
    void twoBeansWithOneRpcNameFailTheStart() {
        runner.withPropertyValues("snakemq.identity=bob").withUserConfiguration(Served.class, Duplicate.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("served over RPC as 'calculator'");
                });
    }

    @Test
    void clientProxyIsInjectedByConstructorAndCallsTheRemotePeer() {
        runner.withPropertyValues(SnakeMqContexts.BOB_LISTENING).withUserConfiguration(Served.class).run(bob -> {
            int port = bob.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            runner.withPropertyValues("snakemq.identity=alice", "snakemq.connectors[0].host=127.0.0.1",
                    "snakemq.connectors[0].port=" + port, "snakemq.connectors[0].reconnect-interval=100ms",
                    "snakemq.rpc.call-timeout=10s")
                    .withUserConfiguration(ClientUser.class).run(alice -> {
                assertThat(alice).hasNotFailed().hasSingleBean(RemoteCalculator.class);
                await().atMost(WAIT).until(() -> alice.getBean(org.snakemq.messaging.Messaging.class).isConnected("bob"));
                Billing billing = alice.getBean(Billing.class);
                assertThat(billing.calculator.add(2, 3)).isEqualTo(5);
                assertThat(billing.calculator.addLater(4, 5).get()).isEqualTo(9);
                assertThatThrownBy(() -> billing.calculator.fail("no")).isInstanceOf(RemoteException.class)
                        .hasMessageContaining("no");
            });
        });
    }

    @Test
    void stoppingWaitsForRunningCallsAndTheirReplies() {
        Slow slow = new Slow();
        runner.withPropertyValues(SnakeMqContexts.BOB_LISTENING).withPropertyValues("snakemq.shutdown.grace-period=20s")
                .withBean("slow", Slow.class, () -> slow).run(bob -> {
            int port = bob.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            runner.withPropertyValues("snakemq.identity=alice", "snakemq.connectors[0].host=127.0.0.1",
                    "snakemq.connectors[0].port=" + port, "snakemq.rpc.call-timeout=30s").run(alice -> {
                await().atMost(WAIT).until(() -> alice.getBean(org.snakemq.messaging.Messaging.class).isConnected("bob"));
                CompletableFuture<Object> call = alice.getBean(RpcClient.class).callAsync("bob", "slow", "work");
                assertThat(slow.entered.await(15, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

                CompletableFuture<Void> closing = CompletableFuture.runAsync(bob::close);
                // the listener goes first, while the call still runs
                await().atMost(WAIT).until(() -> bob.getBean(org.snakemq.link.Link.class).listenerAddresses().isEmpty());
                assertThat(call).isNotDone();
                assertThat(closing).isNotDone();

                slow.release.countDown();
                assertThat(call.get(15, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("done");
                closing.get(15, java.util.concurrent.TimeUnit.SECONDS);
            });
        });
    }

    @Test
    void aNonBlockingMethodRunsOnTheLinkThreadAndTheOthersOnRpcThreads() {
        runner.withPropertyValues(SnakeMqContexts.BOB_LISTENING).withBean("threads", Threads.class, Threads::new)
                .run(bob -> {
            int port = bob.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            runner.withPropertyValues("snakemq.identity=alice", "snakemq.connectors[0].host=127.0.0.1",
                    "snakemq.connectors[0].port=" + port, "snakemq.rpc.call-timeout=10s").run(alice -> {
                await().atMost(WAIT).until(() -> alice.getBean(org.snakemq.messaging.Messaging.class).isConnected("bob"));
                RpcClient client = alice.getBean(RpcClient.class);
                assertThat(client.call("bob", "threads", "onLoop")).asString().startsWith("snakemq-link-");
                assertThat(client.call("bob", "threads", "onWorker")).asString().startsWith("snakemq-rpc-");
            });
        });
    }

    /** Names the thread each served method runs on. */
    @SnakeRpc("threads")
    public static class Threads {
        @org.snakemq.rpc.RpcNonBlocking
        public String onLoop() {
            return Thread.currentThread().getName();
        }

        public String onWorker() {
            return Thread.currentThread().getName();
        }
    }

    /** A served method that runs until the test lets it finish. */
    @SnakeRpc("slow")
    public static class Slow {
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

        public String work() throws InterruptedException {
            entered.countDown();
            release.await(20, java.util.concurrent.TimeUnit.SECONDS);
            return "done";
        }
    }

    public static class Calculator {
        public int add(int a, int b) {
            return a + b;
        }

        public CompletableFuture<Integer> addLater(int a, int b) {
            return CompletableFuture.completedFuture(a + b);
        }

        public int fail(String message) {
            throw new IllegalStateException(message);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Served {
        @Bean
        AnnotatedCalculator calculator() {
            return new AnnotatedCalculator();
        }

        @Bean
        @SnakeRpc("viaBeanMethod")
        Calculator plainCalculator() {
            return new Calculator();
        }
    }

    @SnakeRpc("calculator")
    public static class AnnotatedCalculator extends Calculator {
    }

    @Configuration(proxyBeanMethods = false)
    static class Duplicate {
        @Bean
        @SnakeRpc("calculator")
        Calculator another() {
            return new Calculator();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableSnakeRpcClients(basePackageClasses = RemoteCalculator.class)
    static class ClientUser {
        @Bean
        Billing billing(RemoteCalculator calculator) {
            return new Billing(calculator);
        }
    }

    static class Billing {
        final RemoteCalculator calculator;

        Billing(RemoteCalculator calculator) {
            this.calculator = calculator;
        }
    }
}
