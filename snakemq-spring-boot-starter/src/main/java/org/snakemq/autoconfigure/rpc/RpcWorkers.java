package org.snakemq.autoconfigure.rpc;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.ExecutorConfigurationSupport;

import org.snakemq.autoconfigure.lifecycle.GracefulStop;

/**
 * The RPC threads, owned by the starter so that a graceful stop can wait for running calls and closing
 * the context ends them: {@code snakemq-rpc-*} run served methods, {@code snakemq-rpc-callback-*}
 * complete the futures of asynchronous client calls. The auto-configuration builds both executors
 * with Spring Boot's task executor builders. Deliberately not an {@link Executor} bean itself: that
 * would make Spring Boot skip its own application task executor.
 */
public final class RpcWorkers implements GracefulStop, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger("snakemq.rpc");
    private static final long DESTROY_WAIT_MILLIS = 5_000;

    private final Executor pool;
    private final Executor callbacks;
    private final int maxBusy;
    private final AtomicInteger busy = new AtomicInteger();
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final Object idle = new Object();
    private volatile boolean closed;

    /**
     * @param pool      runs served methods; shut down by {@link #destroy()}
     * @param callbacks completes the futures of asynchronous client calls; shut down by {@link #destroy()}
     * @param maxBusy   most served methods running or waiting at once; further requests are refused
     *                  (the caller gets "RPC server busy")
     */
    public RpcWorkers(Executor pool, Executor callbacks, int maxBusy) {
        if (maxBusy < 1) {
            throw new IllegalArgumentException("maxBusy must be at least 1: " + maxBusy);
        }
        this.pool = Objects.requireNonNull(pool, "pool");
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
        this.maxBusy = maxBusy;
    }

    /** Where the futures of asynchronous client calls complete. */
    public Executor callbackExecutor() {
        return callbacks;
    }

    /** Runs tasks on the pool and counts them until they finish; refuses them beyond the bound. */
    public Executor executor() {
        return task -> {
            if (closed) {
                throw new RejectedExecutionException("RPC workers are shut down");
            }
            if (busy.incrementAndGet() > maxBusy) {
                done();
                throw new RejectedExecutionException(maxBusy + " RPC calls running or waiting already");
            }
            try {
                pool.execute(() -> {
                    Thread thread = Thread.currentThread();
                    running.add(thread);
                    try {
                        task.run();
                    } finally {
                        running.remove(thread);
                        done();
                    }
                });
            } catch (RuntimeException e) {
                done();
                throw e;
            }
        };
    }

    /** Requests submitted and not finished yet. */
    public int busy() {
        return busy.get();
    }

    /** Waits until no call runs or waits, at most {@code timeout}; new calls are still served meanwhile. */
    @Override
    public void stopGracefully(Duration timeout) {
        if (!awaitIdle(timeout.toNanos())) {
            log.warn("grace period over with {} RPC calls running", busy.get());
        }
    }

    private boolean awaitIdle(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (idle) {
            while (busy.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void done() {
        if (busy.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /**
     * Refuses new calls, waits a little for the running ones, interrupts those still running after
     * that, and shuts both executors down.
     */
    @Override
    public void destroy() {
        closed = true;
        long wait = TimeUnit.MILLISECONDS.toNanos(DESTROY_WAIT_MILLIS);
        if (!awaitIdle(wait)) {
            log.warn("{} RPC calls still running on close; interrupting them", busy.get());
            running.forEach(Thread::interrupt);
            awaitIdle(wait);
        }
        shutdown(pool);
        shutdown(callbacks);
    }

    private static void shutdown(Executor executor) {
        try {
            if (executor instanceof ExecutorConfigurationSupport support) {
                support.shutdown();
            } else if (executor instanceof ExecutorService service) {
                service.shutdownNow();
            } else if (executor instanceof AutoCloseable closeable) {
                closeable.close();
            }
        } catch (Exception e) {
            log.warn("shutting down {} failed", executor, e);
        }
    }
}
