package org.snakemq.callback;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

import org.slf4j.Logger;

/**
 * A list of listeners of one kind, like the original's {@code on_xxx.add(callback)}. Adding and
 * removing are thread-safe. A listener that throws is logged and the others still run: a user
 * callback never breaks the loop that called it.
 *
 * @param <L> the listener type
 */
public final class Callbacks<L> {

    private static final Object[] NONE = new Object[0];

    /** Copy-on-write: replaced (never changed) under the lock, read without it. */
    private volatile Object[] listeners = NONE;
    private final String name;
    private final Logger log;

    /**
     * @param name what the callbacks are, for log lines ("on_message_recv")
     * @param log  where failures of listeners are logged
     */
    public Callbacks(String name, Logger log) {
        this.name = name;
        this.log = log;
    }

    /** Adds a listener; close the returned registration to remove it. */
    public Registration add(L listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (this) {
            Object[] current = listeners;
            Object[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = listener;
            listeners = next;
        }
        return () -> remove(listener);
    }

    /** Removes a listener added before (its first occurrence). */
    public synchronized boolean remove(L listener) {
        Object[] current = listeners;
        for (int i = 0; i < current.length; i++) {
            if (Objects.equals(current[i], listener)) {
                Object[] next = new Object[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                listeners = next;
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return listeners.length == 0;
    }

    /** Calls every listener in the order they were added, logging and swallowing their failures. */
    public void fire(Consumer<? super L> call) {
        for (Object listener : listeners) {
            @SuppressWarnings("unchecked")
            L typed = (L) listener;
            try {
                call.accept(typed);
            } catch (RuntimeException | Error e) {
                failed(typed, e);
            }
        }
    }

    /**
     * The listeners as of now, in the order they were added, for hot paths that call them directly
     * (without a lambda per event): cast each element to {@code L}, call it, and hand what it throws
     * to {@link #failed}. The array must not be modified.
     */
    public Object[] snapshot() {
        return listeners;
    }

    /** Logs a listener's failure as {@link #fire} does; rethrows a {@link VirtualMachineError}. */
    public void failed(L listener, Throwable error) {
        if (error instanceof VirtualMachineError vme) {
            throw vme;
        }
        log.error("{} callback {} failed", name, listener, error);
    }
}
