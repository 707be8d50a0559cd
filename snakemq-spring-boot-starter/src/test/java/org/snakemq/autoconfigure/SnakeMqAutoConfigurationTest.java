package org.snakemq.autoconfigure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.messaging.ReceiveHook;
import org.snakemq.packeter.Packeter;
import org.snakemq.storage.MemoryQueuesStorage;
import org.snakemq.spring.metrics.CountingTransport;
import org.snakemq.storage.QueuesStorage;
import org.snakemq.throttle.Throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SnakeMqAutoConfigurationTest {

    private final ApplicationContextRunner runner = SnakeMqContexts.snakeMq();

    @Test
    void createsTheStackAndRunsTheLinkWithTheContext() {
        runner.withPropertyValues(SnakeMqContexts.BOB_LISTENING).run(context -> {
            assertThat(context).hasNotFailed()
                    .hasSingleBean(Link.class).hasSingleBean(Packeter.class).hasSingleBean(Messaging.class)
                    .hasSingleBean(ReceiveHook.class).hasSingleBean(SnakeMqLifecycle.class)
                    .hasSingleBean(SnakeMqEventPublisher.class).doesNotHaveBean(QueuesStorage.class);
            assertThat(context.getBean(Messaging.class).identity()).isEqualTo("bob");
            assertThat(context.getBean(Link.class).isRunning()).isTrue();
            assertThat(context.getBean(SnakeMqLifecycle.class).boundAddresses()).singleElement()
                    .satisfies(address -> assertThat(address.getPort()).isPositive());
        });
    }

    @Test
    void offSwitchDisablesEverything() {
        runner.withPropertyValues("snakemq.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(Link.class).doesNotHaveBean(Messaging.class)
                    .doesNotHaveBean(SnakeMqLifecycle.class).doesNotHaveBean(SnakeMqProperties.class);
        });
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of(List.of(), List.of("snakemq.identity")),
                Arguments.of(List.of("snakemq.identity=bob", "snakemq.listeners[0].port=70000"),
                        List.of("snakemq.listeners[0].port", "70000")),
                Arguments.of(List.of("snakemq.identity=bob", "snakemq.connectors[0].host=localhost"),
                        List.of("snakemq.connectors[0].port")),
                Arguments.of(List.of("snakemq.identity=bob", "snakemq.keepalive.interval=0s"),
                        List.of("snakemq.keepalive.interval")));
    }

    /** A missing identity, a port out of range, a connector without port, a duration that is not positive. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void anInvalidSettingFailsTheStartNamingTheProperty(List<String> properties, List<String> named) {
        runner.withPropertyValues(properties.toArray(String[]::new)).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContainingAll(named.toArray(String[]::new));
        });
    }

    @Test
    void portThatIsNotANumberFailsNamingTheProperty() {
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.connectors[0].host=localhost",
                "snakemq.connectors[0].port=four").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("snakemq.connectors[0].port");
        });
    }

    @Test
    void propertiesReachTheStack() {
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.keepalive.interval=30s",
                "snakemq.keepalive.wait=2s", "snakemq.handshake-timeout=4s", "snakemq.acknowledgements=false",
                "snakemq.max-packet-size=1MB", "snakemq.link.reconnect-interval=250ms",
                "snakemq.link.spin-limit=0", "snakemq.link.native-transport=false").run(context -> {
            Messaging messaging = context.getBean(Messaging.class);
            assertThat(messaging.options().keepaliveInterval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(messaging.options().keepaliveWait()).isEqualTo(Duration.ofSeconds(2));
            assertThat(messaging.options().handshakeTimeout()).isEqualTo(Duration.ofSeconds(4));
            assertThat(messaging.options().acknowledgements()).isFalse();
            assertThat(context.getBean(Packeter.class).maxPacketSize()).isEqualTo(1024 * 1024);
            assertThat(context.getBean(Link.class).options().reconnectInterval()).isEqualTo(Duration.ofMillis(250));
            assertThat(context.getBean(Link.class).options().spinLimit()).isZero();
            assertThat(context.getBean(Link.class).ioTransport()).isEqualTo("nio");
        });
    }

    @Test
    void linkRunsOnNioWhenTheOptionalEpollTransportIsAbsent() {
        // snakemq-core declares the epoll jars optional: the starter's class path, like an application's
        // that did not add them, has no epoll classes at all
        assertThat(getClass().getClassLoader().getResource("io/netty/channel/epoll/Epoll.class")).isNull();
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.link.native-transport=true",
                "snakemq.listeners[0].host=127.0.0.1", "snakemq.listeners[0].port=0").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Link.class).ioTransport()).isEqualTo("nio");
            assertThat(context.getBean(SnakeMqLifecycle.class).boundAddresses()).singleElement()
                    .satisfies(address -> assertThat(address.getPort()).isPositive());
        });
    }

    @Test
    void duplicateMemoryAndItsBudgetComeFromPropertiesAndBadValuesFailTheStart() {
        runner.withPropertyValues("snakemq.identity=bob").run(context -> {
            MessagingOptions options = context.getBean(Messaging.class).options();
            assertThat(options.duplicateMemory()).isEqualTo(MessagingOptions.defaults().duplicateMemory());
            assertThat(options.duplicateMemoryBudget()).as("unset: the core's quarter of the heap").isZero();
        });
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.duplicate-memory=4096",
                "snakemq.duplicate-memory-budget=512MB").run(context -> {
            MessagingOptions options = context.getBean(Messaging.class).options();
            assertThat(options.duplicateMemory()).isEqualTo(4096);
            assertThat(options.duplicateMemoryBudget()).isEqualTo(512L << 20);
        });
        for (String bad : new String[] {"snakemq.duplicate-memory=0", "snakemq.duplicate-memory-budget=0B"}) {
            runner.withPropertyValues("snakemq.identity=bob", bad).run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(bad.substring(0, bad.indexOf('=')));
            });
        }
    }

    @Test
    void linkPollsBrieflyByDefaultAndRefusesAnOutOfRangeSpinLimit() {
        runner.withPropertyValues("snakemq.identity=bob").run(context ->
                assertThat(context.getBean(Link.class).options().spinLimit()).isEqualTo(Duration.ofNanos(500_000)));
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.link.spin-limit=5s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("snakemq.link.spin-limit");
        });
    }

    @Test
    void throttleSitsBetweenLinkAndPacketerWhenConfigured() {
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.throttle.bytes-per-second=10KB").run(context -> {
            assertThat(context.getBean(Packeter.class).transport()).isInstanceOfSatisfying(Throttle.class, throttle -> {
                assertThat(throttle.sendBytesPerSecond()).isEqualTo(10 * 1024);
                assertThat(throttle.receiveBytesPerSecond()).isEqualTo(10 * 1024);
                assertThat(throttle.transport()).isInstanceOfSatisfying(CountingTransport.class,
                        counting -> assertThat(counting.delegate()).isSameAs(context.getBean(Link.class)));
            });
        });
    }

    @Test
    void noThrottleByDefault() {
        runner.withPropertyValues("snakemq.identity=bob").run(context ->
                assertThat(context.getBean(Packeter.class).transport()).isInstanceOf(CountingTransport.class));
    }

    @Test
    void zeroThrottleFailsNamingTheProperty() {
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.throttle.bytes-per-second=0B").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("snakemq.throttle.bytes-per-second");
        });
    }

    @Test
    void userBeansWin() {
        runner.withPropertyValues("snakemq.identity=bob").withUserConfiguration(UserStack.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Link.class).hasSingleBean(Messaging.class);
            assertThat(context.getBean(Link.class)).isSameAs(context.getBean(UserStack.class).link);
            assertThat(context.getBean(Messaging.class).identity()).isEqualTo("custom");
            assertThat(context.getBean(ReceiveHook.class).messaging()).isSameAs(context.getBean(Messaging.class));
        });
    }

    @Test
    void userStorageIsUsedByMessaging() {
        MemoryQueuesStorage storage = new MemoryQueuesStorage();
        runner.withPropertyValues("snakemq.identity=bob")
                .withBean(QueuesStorage.class, () -> storage)
                .run(context -> assertThat(context.getBean(Messaging.class).storage()).isSameAs(storage));
    }

    @Test
    void memoryStorage() {
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.storage.type=memory").run(context -> {
            assertThat(context).hasSingleBean(MemoryQueuesStorage.class);
            assertThat(context.getBean(Messaging.class).storage()).isSameAs(context.getBean(QueuesStorage.class));
        });
    }

    @Test
    void noStorageByDefaultAndForNone() {
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.storage.type=none").run(context -> {
            assertThat(context).doesNotHaveBean(QueuesStorage.class);
            assertThat(context.getBean(Messaging.class).storage()).isNull();
        });
    }

    @Test
    void closingTheContextFreesTheLoopThreadAndThePort() throws IOException {
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        AtomicInteger port = new AtomicInteger();
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.listeners[0].port=0").run(context -> {
            Link link = context.getBean(Link.class);
            link.execute(() -> loopThread.set(Thread.currentThread()));
            await().atMost(Duration.ofSeconds(5)).until(() -> loopThread.get() != null);
            assertThat(loopThread.get().getName()).startsWith("snakemq-link-");
            port.set(context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort());
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> !loopThread.get().isAlive());
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress(port.get()));
            assertThat(again.getLocalPort()).isEqualTo(port.get());
        }
    }

    @Test
    void stopDeliversWhatIsQueuedForConnectedPeersFirst() {
        int count = 2000;
        try (CorePeer alice = new CorePeer("alice")) {
            runner.withPropertyValues(SnakeMqContexts.BOB_LISTENING)
                    .withPropertyValues("snakemq.shutdown.grace-period=20s").run(context -> {
                int port = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
                alice.connectTo(port, null);
                Messaging bob = context.getBean(Messaging.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> bob.isConnected("alice"));
                byte[] payload = new byte[1024];
                for (int i = 0; i < count; i++) {
                    bob.send("alice", Message.of(payload));
                }
            });
            // the context is closed: everything queued for the connected peer went out before the link stopped
            assertThat(alice.received).hasSize(count);
        }
    }

    @Test
    void restartsAfterAStop() {
        runner.withPropertyValues(SnakeMqContexts.BOB_LISTENING).run(context -> {
            SnakeMqLifecycle lifecycle = context.getBean(SnakeMqLifecycle.class);
            lifecycle.stop();
            assertThat(context.getBean(Link.class).isRunning()).isFalse();
            assertThat(context.getBean(Link.class).listenerAddresses()).isEmpty();
            lifecycle.start();
            assertThat(context.getBean(Link.class).isRunning()).isTrue();
            assertThat(lifecycle.boundAddresses()).hasSize(1);
        });
    }

    @Test
    void listenerOnABusyPortFailsStartUpNamingTheAddress() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            runner.withPropertyValues("snakemq.identity=bob", "snakemq.listeners[0].host=127.0.0.1",
                    "snakemq.listeners[0].port=" + busy.getLocalPort()).run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).hasStackTraceContaining("snakemq.listeners[0]: cannot listen on")
                        .hasStackTraceContaining(String.valueOf(busy.getLocalPort()));
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserStack {
        final Link link = new Link();

        @Bean
        Link userLink() {
            return link;
        }

        @Bean
        Messaging userMessaging(Link link) {
            return new Messaging("custom", "", new Packeter(link));
        }
    }
}
