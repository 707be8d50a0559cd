package org.snakemq.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
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

    private final ApplicationContextRunner runner = SnakeMqContexts.snakeMq()
            .withUserConfiguration(Recorder.class)
            .withPropertyValues(SnakeMqContexts.BOB_LISTENING);

    /** Connects a core peer named alice to the context's bob and runs {@code test} once bob has it. */
    private static void withAliceConnected(AssertableApplicationContext context, Consumer<CorePeer> test) {
        int port = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
        try (CorePeer alice = new CorePeer("alice").connectTo(port, null)) {
            await().atMost(WAIT).until(() -> context.getBean(Messaging.class).isConnected("alice"));
            test.accept(alice);
        }
    }

    @Test
    void eventListenersReceiveMessagesAndPeerChangesOnTheLoopThread() {
        runner.run(context -> {
            Recorder recorder = context.getBean(Recorder.class);
            int port = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            try (CorePeer alice = new CorePeer("alice").connectTo(port, null)) {
                assertThat(recorder.first(SnakePeerConnectedEvent.class).identity()).isEqualTo("alice");

                alice.messaging.send("bob", Message.of("hello bob"));
                SnakeMessageReceivedEvent event = recorder.first(SnakeMessageReceivedEvent.class);
                assertThat(event.identity()).isEqualTo("alice");
                assertThat(event.message().text()).isEqualTo("hello bob");
                assertThat(event.connection()).isNotNull();
                assertThat(recorder.threads).allSatisfy(name -> assertThat(name).startsWith("snakemq-link-"));
            }
            assertThat(recorder.first(SnakePeerDisconnectedEvent.class).identity()).isEqualTo("alice");
        });
    }

    @Test
    void rpcTrafficIsNotPublishedAsMessagesUnlessAsked() {
        runner.withPropertyValues("snakemq.rpc.enabled=false").run(context -> {
            Recorder recorder = context.getBean(Recorder.class);
            withAliceConnected(context, alice -> {
                alice.messaging.send("bob", Message.of("rpcreq-looking data"));
                alice.messaging.send("bob", Message.of("rpcrep-looking data"));
                alice.messaging.send("bob", Message.of("after"));
                recorder.first(SnakeMessageReceivedEvent.class);
                assertThat(recorder.events(SnakeMessageReceivedEvent.class)).extracting(e -> e.message().text())
                        .containsExactly("after");
            });
        });
        runner.withPropertyValues("snakemq.rpc.enabled=false", "snakemq.events.include-rpc=true").run(context -> {
            Recorder recorder = context.getBean(Recorder.class);
            withAliceConnected(context, alice -> {
                alice.messaging.send("bob", Message.of("rpcreq-looking data"));
                await().atMost(WAIT).until(() -> recorder.events(SnakeMessageReceivedEvent.class).size() == 1);
                assertThat(recorder.first(SnakeMessageReceivedEvent.class).message().text())
                        .isEqualTo("rpcreq-looking data");
            });
        });
    }

    @Test
    void droppedMessagesArePublished() {
        runner.run(context -> {
            Recorder recorder = context.getBean(Recorder.class);
            Message message = Message.of("for nobody").withTtl(Duration.ZERO);
            context.getBean(Messaging.class).send("nobody", message);
            assertThat(recorder.first(SnakeMessageDroppedEvent.class))
                    .isEqualTo(new SnakeMessageDroppedEvent("nobody", message.uuid()));
        });
    }

    @Test
    void asyncEventsRunOnTheStarterOwnedThreadInOrder() {
        runner.withPropertyValues("snakemq.events.async=true").run(context -> {
            Recorder recorder = context.getBean(Recorder.class);
            withAliceConnected(context, alice -> {
                for (int i = 0; i < 100; i++) {
                    alice.messaging.send("bob", Message.of("m" + i));
                }
                await().atMost(WAIT).until(() -> recorder.events(SnakeMessageReceivedEvent.class).size() == 100);
                assertThat(recorder.events(SnakeMessageReceivedEvent.class)).extracting(e -> e.message().text())
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).mapToObj(i -> "m" + i).toList());
                assertThat(recorder.threads).allSatisfy(name -> assertThat(name).startsWith("snakemq-events-"));
            });
        });
    }

    @Test
    void asyncEventsUseTheApplicationsExecutorWhenNamed() {
        runner.withPropertyValues("snakemq.events.async=true").withUserConfiguration(UserExecutor.class).run(context -> {
            Recorder recorder = context.getBean(Recorder.class);
            context.getBean(Messaging.class).send("nobody", Message.of("x").withTtl(Duration.ZERO));
            recorder.first(SnakeMessageDroppedEvent.class);
            assertThat(recorder.threads).allSatisfy(name -> assertThat(name).startsWith("user-events-"));
        });
    }

    @Test
    void eventsCanBeSwitchedOff() {
        runner.withPropertyValues("snakemq.events.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SnakeMqEventPublisher.class));
    }

    /** Records each SnakeMQ event in the order they come, and the thread each came on. */
    @Configuration(proxyBeanMethods = false)
    static class Recorder {
        final List<Object> all = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @EventListener({SnakeMessageReceivedEvent.class, SnakePeerConnectedEvent.class, SnakePeerDisconnectedEvent.class,
                SnakeMessageDroppedEvent.class})
        void on(Object event) {
            threads.add(Thread.currentThread().getName());
            all.add(event);
        }

        /** The recorded events of one type, in the order they came. */
        <E> List<E> events(Class<E> type) {
            return all.stream().filter(type::isInstance).map(type::cast).toList();
        }

        /** The first event of a type, once one came. */
        <E> E first(Class<E> type) {
            await().atMost(WAIT).until(() -> !events(type).isEmpty());
            return events(type).get(0);
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
