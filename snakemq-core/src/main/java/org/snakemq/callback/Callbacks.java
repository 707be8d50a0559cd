package org.snakemq.callback;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
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

    private final List<L> listeners = new CopyOnWriteArrayList<>();
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
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Removes a listener added before. */
    public boolean remove(L listener) {
        return listeners.remove(listener);
    }

    public boolean isEmpty() {
        return listeners.isEmpty();
    }

    /** Calls every listener in the order they were added, logging and swallowing their failures. */
    public void fire(Consumer<? super L> call) {
        for (L listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError vme) {
                    throw vme;
                }
                log.error("{} callback {} failed", name, listener, e);
            }
        }
    }
}
