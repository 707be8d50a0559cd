package org.snakemq.cli;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A progress line on stderr for {@code send --count}: {@code delivered 420/1000 (42%)}, redrawn in
 * place (carriage return) at most five times a second by its own daemon thread, and ended with a
 * newline by {@link #close()}, so that the command's last word and any error start on a fresh
 * line. {@link #delivered()} may be called from any thread (the link's loop thread does).
 */
final class Progress implements AutoCloseable {

    private static final long REDRAW_MILLIS = 200;

    private final Console console;
    private final int total;
    private final AtomicInteger delivered = new AtomicInteger();
    private final ScheduledExecutorService redraw; // null: not a terminal, nothing drawn
    private int shown = -1;
    private boolean closed;

    private Progress(Console console, int total, boolean draw) {
        this.console = console;
        this.total = total;
        if (!draw) {
            this.redraw = null;
            return;
        }
        this.redraw = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "snakemq-progress");
            thread.setDaemon(true);
            return thread;
        });
        redraw.scheduleWithFixedDelay(this::draw, 0, REDRAW_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A progress line when stderr is a terminal; otherwise one that prints nothing. */
    static Progress start(Terminal terminal, Console console, int total) {
        return new Progress(console, total, terminal.stderrIsTerminal());
    }

    /** One more message delivered. */
    void delivered() {
        delivered.incrementAndGet();
    }

    private synchronized void draw() {
        int now = delivered.get();
        if (closed || now == shown) {
            return;
        }
        shown = now;
        console.errInPlace("delivered " + now + "/" + total + " (" + (total == 0 ? 100 : now * 100L / total) + "%)");
    }

    /** Draws the final count and ends the line; idempotent. */
    @Override
    public void close() {
        if (redraw == null) {
            return;
        }
        redraw.shutdownNow();
        synchronized (this) {
            if (closed) {
                return;
            }
            draw();
            closed = true;
        }
        console.errRaw("");
    }
}
