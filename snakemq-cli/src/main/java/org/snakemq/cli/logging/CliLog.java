package org.snakemq.cli.logging;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

import org.slf4j.event.Level;

/**
 * Where the stack's SLF4J logging goes in the command-line tool. Events at or above the level named
 * by the environment variable {@code SNAKEMQ_LOG} ({@code off}, {@code error}, {@code warn},
 * {@code info}, {@code debug}, {@code trace}) are printed to stderr; without it, only errors of the
 * snakemq loggers are (libraries report harmless races, such as two processes unpacking SQLite's
 * native library at once, as errors). Independently,
 * warnings and link-level debug events go to the subscribers, which turn them into diagnoses (the
 * reason a peer is unreachable, a failed TLS handshake).
 */
public final class CliLog {

    private static final String SETTING = System.getenv("SNAKEMQ_LOG");
    private static final Level PRINT = parse(SETTING);
    private static final boolean ALL_LOGGERS = SETTING != null && !SETTING.isBlank();
    private static final Set<Consumer<LogEvent>> SUBSCRIBERS = new CopyOnWriteArraySet<>();
    private static final PrintStream ERR = System.err;

    private CliLog() {
    }

    /** Receives events from now on, on the thread that logs, until the returned action is run. */
    public static Runnable subscribe(Consumer<LogEvent> subscriber) {
        SUBSCRIBERS.add(subscriber);
        return () -> SUBSCRIBERS.remove(subscriber);
    }

    static boolean isEnabled(String logger, Level level) {
        return printed(logger, level) || level.toInt() >= Level.WARN.toInt()
                || (logger.equals("snakemq.link") && level == Level.DEBUG);
    }

    static void log(LogEvent event) {
        if (printed(event.logger(), event.level())) {
            synchronized (ERR) {
                ERR.println("snakemq: [" + event.level().name().toLowerCase(Locale.ROOT) + "] " + event.logger() + ": "
                        + event.message());
                if (event.error() != null) {
                    event.error().printStackTrace(ERR);
                }
            }
        }
        for (Consumer<LogEvent> subscriber : SUBSCRIBERS) {
            subscriber.accept(event);
        }
    }

    private static boolean printed(String logger, Level level) {
        return PRINT != null && level.toInt() >= PRINT.toInt() && (ALL_LOGGERS || logger.startsWith("snakemq"));
    }

    /** null: print nothing. */
    private static Level parse(String name) {
        if (name == null || name.isBlank()) {
            return Level.ERROR;
        }
        String value = name.trim().toUpperCase(Locale.ROOT);
        if (value.equals("OFF")) {
            return null;
        }
        try {
            return Level.valueOf(value);
        } catch (IllegalArgumentException e) {
            return Level.ERROR;
        }
    }
}
