package org.snakemq.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import org.snakemq.autoconfigure.rpc.RpcWorkers;

/**
 * Builds the starter's executors from Spring Boot's task executor builders (the application's
 * {@link ThreadPoolTaskExecutorBuilder} and {@link SimpleAsyncTaskExecutorBuilder} beans, with their
 * customizers and {@link TaskDecorator}s; new builders with the context's decorators when
 * {@code TaskExecutionAutoConfiguration} is absent). With {@code spring.threads.virtual.enabled=true}
 * on Java 21+ every executor runs tasks on virtual threads, otherwise on platform threads.
 */
public final class SnakeMqTaskExecutors {

    /** How long closing the context waits for a pool's tasks to end. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private final boolean virtual;
    private final ObjectProvider<ThreadPoolTaskExecutorBuilder> threadPoolBuilder;
    private final ObjectProvider<SimpleAsyncTaskExecutorBuilder> simpleBuilder;
    private final ObjectProvider<TaskDecorator> taskDecorators;

    /** @param beanFactory where the builders and decorators are looked up, when the executors are built */
    public SnakeMqTaskExecutors(Environment environment, BeanFactory beanFactory) {
        this.virtual = Threading.VIRTUAL.isActive(environment);
        this.threadPoolBuilder = beanFactory.getBeanProvider(ThreadPoolTaskExecutorBuilder.class);
        this.simpleBuilder = beanFactory.getBeanProvider(SimpleAsyncTaskExecutorBuilder.class);
        this.taskDecorators = beanFactory.getBeanProvider(TaskDecorator.class);
    }

    /** Whether the executors run tasks on virtual threads. */
    boolean virtual() {
        return virtual;
    }

    /**
     * The RPC threads: {@code snakemq-rpc-*} for served methods, bounded by {@code snakemq.rpc.executor.*},
     * and {@code snakemq-rpc-callback-*} for the futures of asynchronous client calls.
     */
    RpcWorkers rpcWorkers(SnakeMqProperties.RpcExecutor settings) {
        int poolSize = atLeast("snakemq.rpc.executor.pool-size", settings.getPoolSize(), 1);
        int queueCapacity = atLeast("snakemq.rpc.executor.queue-capacity", settings.getQueueCapacity(), 0);
        Duration keepAlive = SnakeMqAutoConfiguration.positive("snakemq.rpc.executor.keep-alive",
                settings.getKeepAlive());
        int virtualLimit = atLeast("snakemq.rpc.executor.virtual-concurrency-limit",
                settings.getVirtualConcurrencyLimit(), 1);
        if (virtual) {
            return new RpcWorkers(simple("snakemq-rpc-"), simple("snakemq-rpc-callback-"), virtualLimit);
        }
        ThreadPoolTaskExecutor pool = pool("snakemq-rpc-", poolSize, poolSize, queueCapacity, keepAlive);
        ThreadPoolTaskExecutor callbacks = pool("snakemq-rpc-callback-", 0, Integer.MAX_VALUE, 0, keepAlive);
        return new RpcWorkers(pool, callbacks, (int) Math.min(Integer.MAX_VALUE, (long) poolSize + queueCapacity));
    }

    /**
     * The starter's own executor for asynchronous events ({@code snakemq-events-*}): tasks run one at
     * a time, in the order they were submitted, and submitting never blocks.
     */
    ExecutorService events() {
        if (virtual) {
            return new SerialExecutor(simple("snakemq-events-"));
        }
        return pool("snakemq-events-", 1, 1, Integer.MAX_VALUE, Duration.ofSeconds(60)).getThreadPoolExecutor();
    }

    /**
     * The threads of {@code @SnakeListener} methods and received-message events
     * ({@code snakemq-handler-*}): a pool of {@code threads}, or one virtual thread per task. The
     * caller shuts it down ({@link org.springframework.beans.factory.DisposableBean} or
     * {@link AutoCloseable}).
     */
    public AsyncTaskExecutor handlers(int threads) {
        if (virtual) {
            return simple("snakemq-handler-");
        }
        return pool("snakemq-handler-", threads, threads, Integer.MAX_VALUE, Duration.ofSeconds(60));
    }

    private SimpleAsyncTaskExecutor simple(String prefix) {
        SimpleAsyncTaskExecutorBuilder builder = simpleBuilder.getIfAvailable(
                () -> new SimpleAsyncTaskExecutorBuilder().taskDecorator(decorator()));
        // no concurrency limit of the executor's own: it would block the submitting loop thread
        return builder.virtualThreads(true).threadNamePrefix(prefix).concurrencyLimit(null).build();
    }

    private ThreadPoolTaskExecutor pool(String prefix, int core, int max, int queueCapacity, Duration keepAlive) {
        ThreadPoolTaskExecutorBuilder builder = threadPoolBuilder.getIfAvailable(
                () -> new ThreadPoolTaskExecutorBuilder().taskDecorator(decorator()));
        ThreadPoolTaskExecutor executor = builder.threadNamePrefix(prefix).corePoolSize(core).maxPoolSize(max)
                .queueCapacity(queueCapacity).keepAlive(keepAlive).allowCoreThreadTimeOut(core > 0)
                .awaitTermination(true).awaitTerminationPeriod(SHUTDOWN_WAIT).build();
        executor.initialize();
        return executor;
    }

    /** The context's decorators as Spring Boot combines them: one as it is, several in order. */
    private TaskDecorator decorator() {
        List<TaskDecorator> decorators = taskDecorators.orderedStream().toList();
        if (decorators.isEmpty()) {
            return null;
        }
        return decorators.size() == 1 ? decorators.get(0) : new CompositeTaskDecorator(decorators);
    }

    private static int atLeast(String property, int value, int min) {
        if (value < min) {
            throw new InvalidConfigurationPropertyValueException(property, value, "Must be at least " + min + ".");
        }
        return value;
    }
}
