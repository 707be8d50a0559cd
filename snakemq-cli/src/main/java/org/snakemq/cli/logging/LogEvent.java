package org.snakemq.cli.logging;

import org.slf4j.event.Level;

/** One log call of the stack, formatted. */
public record LogEvent(Level level, String logger, String message, Throwable error) {
}
