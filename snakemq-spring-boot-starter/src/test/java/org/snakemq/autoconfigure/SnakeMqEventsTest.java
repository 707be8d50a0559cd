package org.snakemq.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.spring.SnakeMessageDroppedEvent;
import org.snakemq.spring.SnakeMessageReceivedEvent;
import org.snakemq.spring.SnakePeerConnectedEvent;
import org.snakemq.spring.SnakePeerDisconnectedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SnakeMqEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SnakeMqAutoConfiguration.class))
            .withUserConfiguration(Recorder.class)
            .withPropertyValues("snakemq.identity=bob", "snakemq.listeners[0].host=127.0.0.1",
                    "snakemq.listeners[0].port=0");

    @Test
    void eventListenersReceiveMessagesAndPeerChangesOnTheLoopThread() {
        runner.run(context -> {
            Recorder recorder = context.getBean(Recorder.class);
            int port = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            try (CorePeer alice = new CorePeer("alice").connectTo(port, null)) {
                await().atMost(WAIT).until(() -> !recorder.connected.isEmpty());
                assertThat(recorder.connected.get(0).identity()).isEqualTo("alice");

                alice.messaging.send("bob", Message.of("hello bob"));
                await().atMost(WAIT).until(() -> !recorder.received.isEmpty());
                SnakeMessageReceivedEvent event = recorder.received.get(0);
                assertThat(event.identity()).isEqualTo("alice");
                assertThat(event.message().text()).isEqualTo("hello bob");
                assertThat(event.connection()).isNotNull();
                assertThat(recorder.threads).allSatisfy(name -> assertThat(name).startsWith("snakemq-link-"));
            }
            await().atMost(WAIT).until(() -> !recorder.disconnected.isEmpty());
            assertThat(recorder.disconnected.get(0).identity()).isEqualTo("alice");
        });
    }

    @Test
    void rpcTrafficIsNotPublishedAsMessagesUnlessAsked() {
        runner.withPropertyValues("snakemq.rpc.enabled=false").run(context -> {
            Recorder recorder = context.getBean(Recorder.class);
            int port = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            try (CorePeer alice = new CorePeer("alice").connectTo(port, null)) {
                await().atMost(WAIT).until(() -> context.getBean(Messaging.class).isConnected("alice"));
                alice.messaging.send("bob", Message.of("rpcreq-looking data"));
                alice.messaging.send("bob", Message.of("rpcrep-looking data"));
                alice.messaging.send("bob", Message.of("after"));
                await().atMost(WAIT).until(() -> !recorder.received.isEmpty());
                assertThat(recorder.received).extracting(e -> e.message().text()).containsExactly("after");
            }
        });
        runner.withPropertyValues("snakemq.rpc.enabled=false", "snakemq.events.include-rpc=true").run(context -> {
            Recorder recorder = context.getBean(Recorder.class);
            int port = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            try (CorePeer alice = new CorePeer("alice").connectTo(port, null)) {
                await().atMost(WAIT).until(() -> context.getBean(Messaging.class).isConnected("alice"));
                alice.messaging.send("bob", Message.of("rpcreq-looking data"));
                await().atMost(WAIT).until(() -> recorder.received.size() == 1);
                assertThat(recorder.received.get(0).message().text()).isEqualTo("rpcreq-looking data");
            }
        });
    }

    @Test
    void droppedMessagesArePublished() {
        runner.run(context -> {
            Recorder recorder = context.getBean(Recorder.class);
            Message message = Message.of("for nobody").withTtl(Duration.ZERO);
            context.getBean(Messaging.class).send("nobody", message);
            await().atMost(WAIT).until(() -> !recorder.dropped.isEmpty());
            assertThat(recorder.dropped.get(0)).isEqualTo(new SnakeMessageDroppedEvent("nobody", message.uuid()));
        });
    }

    @Test
    void asyncEventsRunOnTheStarterOwnedThreadInOrder() {
        runner.withPropertyValues("snakemq.events.async=true").run(context -> {
            Recorder recorder = context.getBean(Recorder.class);
            int port = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            try (CorePeer alice = new CorePeer("alice").connectTo(port, null)) {
                await().atMost(WAIT).until(() -> context.getBean(Messaging.class).isConnected("alice"));
                for (int i = 0; i < 100; i++) {
                    alice.messaging.send("bob", Message.of("m" + i));
                }
                await().atMost(WAIT).until(() -> recorder.received.size() == 100);
                assertThat(recorder.received).extracting(e -> e.message().text())
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).mapToObj(i -> "m" + i).toList());
                assertThat(recorder.threads).allSatisfy(name -> assertThat(name).startsWith("snakemq-events-"));
            }
        });
    }

    @Test
    void asyncEventsUseTheApplicationsExecutorWhenNamed() {
        runner.withPropertyValues("snakemq.events.async=true").withUserConfiguration(UserExecutor.class).run(context -> {
            Recorder recorder = context.getBean(Recorder.class);
            context.getBean(Messaging.class).send("nobody", Message.of("x").withTtl(Duration.ZERO));
            await().atMost(WAIT).until(() -> !recorder.dropped.isEmpty());
            assertThat(recorder.threads).allSatisfy(name -> assertThat(name).startsWith("user-events-"));
        });
    }

    @Test
    void eventsCanBeSwitchedOff() {
        runner.withPropertyValues("snakemq.events.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SnakeMqEventPublisher.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class Recorder {
        final List<SnakeMessageReceivedEvent> received = new CopyOnWriteArrayList<>();
        final List<SnakePeerConnectedEvent> connected = new CopyOnWriteArrayList<>();
        final List<SnakePeerDisconnectedEvent> disconnected = new CopyOnWriteArrayList<>();
        final List<SnakeMessageDroppedEvent> dropped = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @EventListener
        void on(SnakeMessageReceivedEvent event) {
            threads.add(Thread.currentThread().getName());
            received.add(event);
        }

        @EventListener
        void on(SnakePeerConnectedEvent event) {
            threads.add(Thread.currentThread().getName());
            connected.add(event);
        }

        @EventListener
        void on(SnakePeerDisconnectedEvent event) {
            threads.add(Thread.currentThread().getName());
            disconnected.add(event);
        }

        @EventListener
        void on(SnakeMessageDroppedEvent event) {
            threads.add(Thread.currentThread().getName());
            dropped.add(event);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserExecutor {
        @Bean(destroyMethod = "shutdown")
        ExecutorService snakemqEventExecutor() {
            return Executors.newSingleThreadExecutor(new CustomizableThreadFactory("user-events-"));
        }
    }
}
