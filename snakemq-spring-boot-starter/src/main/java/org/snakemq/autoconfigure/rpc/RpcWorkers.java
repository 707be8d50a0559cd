package org.snakemq.autoconfigure.rpc;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import org.snakemq.autoconfigure.SnakeMqLifecycle;

/**
 * The RPC threads, owned by the starter so that a graceful stop can wait for running calls and closing
 * the context ends them: {@code snakemq-rpc-*} run served methods, {@code snakemq-rpc-callback-*}
 * complete the futures of asynchronous client calls. Deliberately not an {@link Executor} bean
 * itself: that would make Spring Boot skip its own application task executor.
 */
public final class RpcWorkers implements SnakeMqLifecycle.GracefulStop, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger("snakemq.rpc");

    private final ThreadPoolExecutor pool;
    private final ThreadPoolExecutor callbacks;
    private final AtomicInteger busy = new AtomicInteger();
    private final Object idle = new Object();

    /**
     * @param threads   most methods running at once
     * @param queueSize most requests waiting for a thread
     */
    public RpcWorkers(int threads, int queueSize) {
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queueSize),
                new CustomizableThreadFactory("snakemq-rpc-"));
        pool.allowCoreThreadTimeOut(true);
        callbacks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new CustomizableThreadFactory("snakemq-rpc-callback-"));
    }

    /** Where the futures of asynchronous client calls complete. */
    public Executor callbackExecutor() {
        return callbacks;
    }

    /** Runs tasks on the pool and counts them until they finish. */
    public Executor executor() {
        return task -> {
            busy.incrementAndGet();
            try {
                pool.execute(() -> {
                    try {
                        task.run();
                    } finally {
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
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (busy.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    log.warn("grace period over with {} RPC calls running", busy.get());
                    return;
                }
                try {
                    idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void done() {
        if (busy.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** Ends the threads; calls still running are interrupted after a short wait. */
    @Override
    public void destroy() throws InterruptedException {
        pool.shutdown();
        callbacks.shutdown();
        for (ThreadPoolExecutor executor : new ThreadPoolExecutor[] {pool, callbacks}) {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
