package org.snakemq.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.TaskDecorator;

import org.snakemq.autoconfigure.rpc.RpcWorkers;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.ReceiveHook;
import org.snakemq.rpc.RpcClient;
import org.snakemq.spring.SnakeMessageDroppedEvent;
import org.snakemq.spring.SnakeRpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The RPC and event executors come from Spring Boot's task executor builders: platform threads by
 * default, virtual threads with {@code spring.threads.virtual.enabled=true} (Java 21+; this class also
 * runs on a Java 21+ JVM when the build finds one), the application's {@link TaskDecorator}s applied,
 * bounds from {@code snakemq.rpc.executor.*}.
 */
class SnakeMqExecutorsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    SnakeMqAutoConfiguration.class))
            .withPropertyValues("snakemq.identity=bob");

    @Test
    void rpcAndEventThreadsArePlatformThreadsByDefault() {
        runner.withPropertyValues("snakemq.events.async=true").withUserConfiguration(DropRecorder.class)
                .run(context -> assertRpcAndEventThreads(context, false));
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualThreadsWhenSpringBootsSwitchIsOn() {
        runner.withPropertyValues("spring.threads.virtual.enabled=true", "snakemq.events.async=true")
                .withUserConfiguration(DropRecorder.class)
                .run(context -> assertRpcAndEventThreads(context, true));
    }

    /** The served-method, RPC-callback and event threads carry their names and are virtual or not. */
    private static void assertRpcAndEventThreads(ApplicationContext context, boolean virtual) throws Exception {
        RpcWorkers workers = context.getBean(RpcWorkers.class);
        Thread served = threadOf(workers.executor());
        assertThat(served.getName()).startsWith("snakemq-rpc-");
        assertThat(isVirtual(served)).isEqualTo(virtual);
        Thread callback = threadOf(workers.callbackExecutor());
        assertThat(callback.getName()).startsWith("snakemq-rpc-callback-");
        assertThat(isVirtual(callback)).isEqualTo(virtual);
        Thread event = eventThread(context.getBean(Messaging.class), context.getBean(DropRecorder.class));
        assertThat(event.getName()).startsWith("snakemq-events-");
        assertThat(isVirtual(event)).isEqualTo(virtual);
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void beforeJava21TheSwitchKeepsPlatformThreadsAsSpringBootDoes() {
        runner.withPropertyValues("spring.threads.virtual.enabled=true").run(context -> {
            Thread served = threadOf(context.getBean(RpcWorkers.class).executor());
            assertThat(served.getName()).startsWith("snakemq-rpc-");
            assertThat(isVirtual(served)).isFalse();
        });
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void asyncEventsStayInOrderOnVirtualThreads() {
        runner.withPropertyValues("spring.threads.virtual.enabled=true", "snakemq.events.async=true")
                .withUserConfiguration(DropRecorder.class).run(context -> {
                    DropRecorder recorder = context.getBean(DropRecorder.class);
                    List<Message> sent = new java.util.ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        Message message = Message.of("m" + i).withTtl(Duration.ZERO);
                        sent.add(message);
                        context.getBean(Messaging.class).send("nobody", message);
                    }
                    await().atMost(WAIT).until(() -> recorder.events.size() == 200);
                    assertThat(recorder.events).extracting(SnakeMessageDroppedEvent::uuid)
                            .containsExactlyElementsOf(sent.stream().map(Message::uuid).toList());
                });
    }

    /** Served methods and async event listeners run inside the application's TaskDecorator. */
    @ParameterizedTest(name = "Boot's task execution auto-configuration present: {0}")
    @ValueSource(booleans = {true, false})
    void taskDecoratorsApplyToServedMethodsAndEvents(boolean bootTaskExecution) {
        ApplicationContextRunner bob = (bootTaskExecution ? runner : new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SnakeMqAutoConfiguration.class))
                .withPropertyValues("snakemq.identity=bob"))
                .withPropertyValues("snakemq.listeners[0].host=127.0.0.1", "snakemq.listeners[0].port=0",
                        "snakemq.events.async=true")
                .withUserConfiguration(Decorated.class, DropRecorder.class);
        bob.run(context -> {
            assertThat(context).hasNotFailed();
            int port = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            // the client's results complete on alice's loop thread: no threads of its own to outlive the test
            try (CorePeer alice = new CorePeer("alice").connectTo(port, null);
                 RpcClient client = new RpcClient(new ReceiveHook(alice.messaging), Runnable::run)) {
                await().atMost(WAIT).until(() -> context.getBean(Messaging.class).isConnected("alice"));
                assertThat(client.callAsync("bob", "probe", "context").get(15, TimeUnit.SECONDS))
                        .isEqualTo("decorated on snakemq-rpc-");
            }
            DropRecorder recorder = context.getBean(DropRecorder.class);
            context.getBean(Messaging.class).send("nobody", Message.of("x").withTtl(Duration.ZERO));
            await().atMost(WAIT).until(() -> !recorder.contexts.isEmpty());
            assertThat(recorder.contexts).containsOnly("decorated");
        });
    }

    @Test
    void poolSizeAndQueueCapacityBoundTheServedCalls() {
        runner.withPropertyValues("snakemq.rpc.executor.pool-size=2", "snakemq.rpc.executor.queue-capacity=1")
                .run(context -> {
                    Executor executor = context.getBean(RpcWorkers.class).executor();
                    assertBounded(executor, 2, 3);
                });
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualConcurrencyLimitBoundsTheServedCalls() {
        runner.withPropertyValues("spring.threads.virtual.enabled=true",
                "snakemq.rpc.executor.virtual-concurrency-limit=3").run(context -> {
                    Executor executor = context.getBean(RpcWorkers.class).executor();
                    assertBounded(executor, 3, 3);
                });
    }

    @Test
    void badBoundsFailNamingTheProperty() {
        runner.withPropertyValues("snakemq.rpc.executor.pool-size=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("snakemq.rpc.executor.pool-size");
        });
        runner.withPropertyValues("snakemq.rpc.executor.queue-capacity=-1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("snakemq.rpc.executor.queue-capacity");
        });
    }

    /**
     * Up to {@code accepted} tasks are taken while they block, at most {@code concurrent} of them run at
     * once, and the next one is refused until they finish.
     */
    private static void assertBounded(Executor executor, int concurrent, int accepted) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Set<Thread> running = ConcurrentHashMap.newKeySet();
        CountDownLatch started = new CountDownLatch(concurrent);
        CountDownLatch finished = new CountDownLatch(accepted);
        Runnable blocking = () -> {
            running.add(Thread.currentThread());
            started.countDown();
            try {
                release.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                finished.countDown();
            }
        };
        for (int i = 0; i < accepted; i++) {
            executor.execute(blocking);
        }
        assertThat(started.await(15, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> executor.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThat(running).hasSize(concurrent);
        release.countDown();
        assertThat(finished.await(15, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> after = new CompletableFuture<>();
        await().atMost(WAIT).untilAsserted(() -> {
            try {
                executor.execute(() -> after.complete(null));
            } catch (RejectedExecutionException e) {
                throw new AssertionError("still refused", e);
            }
        });
        after.get(15, TimeUnit.SECONDS);
    }

    private static Thread threadOf(Executor executor) throws Exception {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        executor.execute(() -> thread.complete(Thread.currentThread()));
        return thread.get(15, TimeUnit.SECONDS);
    }

    private static Thread eventThread(Messaging messaging, DropRecorder recorder) {
        messaging.send("nobody", Message.of("x").withTtl(Duration.ZERO));
        await().atMost(WAIT).until(() -> !recorder.threads.isEmpty());
        return recorder.threads.get(0);
    }

    /** {@code Thread.isVirtual()}, which exists from Java 21 on; false before. */
    private static boolean isVirtual(Thread thread) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (NoSuchMethodException e) {
            return false;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a decorator sets up around each task: a thread-local value, as MDC or a trace context would. */
    static final ThreadLocal<String> CONTEXT = new ThreadLocal<>();

    @Configuration(proxyBeanMethods = false)
    static class Decorated {
        @Bean
        TaskDecorator contextDecorator() {
            return task -> () -> {
                CONTEXT.set("decorated");
                try {
                    task.run();
                } finally {
                    CONTEXT.remove();
                }
            };
        }

        @Bean
        @SnakeRpc("probe")
        Probe probe() {
            return new Probe();
        }
    }

    public static class Probe {
        public String context() {
            String name = Thread.currentThread().getName();
            return CONTEXT.get() + " on " + name.substring(0, Math.min(name.length(), "snakemq-rpc-".length()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DropRecorder {
        final List<SnakeMessageDroppedEvent> events = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final List<String> contexts = new CopyOnWriteArrayList<>();

        @EventListener
        void on(SnakeMessageDroppedEvent event) {
            threads.add(Thread.currentThread());
            contexts.add(String.valueOf(CONTEXT.get()));
            events.add(event);
        }
    }
}
