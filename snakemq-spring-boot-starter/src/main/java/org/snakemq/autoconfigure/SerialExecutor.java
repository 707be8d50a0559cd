package org.snakemq.autoconfigure;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Runs tasks one at a time, in the order they were submitted, on a {@link SimpleAsyncTaskExecutor}
 * (virtual threads): a queued task waits for the one before it, and submitting never blocks. A run of
 * queued tasks shares one thread of the delegate; the next submission after the queue emptied starts
 * another.
 */
final class SerialExecutor extends AbstractExecutorService {

    private static final Logger log = LoggerFactory.getLogger("snakemq.spring");

    private final SimpleAsyncTaskExecutor delegate;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean draining;
    private boolean shutdown;
    private Thread drainer;

    SerialExecutor(SimpleAsyncTaskExecutor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            if (shutdown) {
                throw new RejectedExecutionException("executor is shut down");
            }
            tasks.add(task);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            delegate.execute(this::drain);
        } catch (RuntimeException e) {
            synchronized (tasks) {
                draining = false;
                tasks.remove(task);
                tasks.notifyAll();
            }
            throw e;
        }
    }

    private void drain() {
        synchronized (tasks) {
            drainer = Thread.currentThread();
        }
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    draining = false;
                    drainer = null;
                    tasks.notifyAll();
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                log.warn("task failed", e);
            }
        }
    }

    @Override
    public void shutdown() {
        synchronized (tasks) {
            shutdown = true;
            tasks.notifyAll();
        }
        delegate.close();
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> pending;
        synchronized (tasks) {
            shutdown = true;
            pending = List.copyOf(tasks);
            tasks.clear();
            if (drainer != null) {
                drainer.interrupt();
            }
            tasks.notifyAll();
        }
        delegate.close();
        return pending;
    }

    @Override
    public boolean isShutdown() {
        synchronized (tasks) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        synchronized (tasks) {
            return shutdown && !draining;
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (tasks) {
            while (!(shutdown && !draining)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(tasks, left);
            }
            return true;
        }
    }
}
