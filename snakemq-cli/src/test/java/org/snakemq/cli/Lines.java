package org.snakemq.cli;

import java.io.Writer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Captured output, split into complete lines as they are written. Thread-safe. */
final class Lines extends Writer {

    private final StringBuilder partial = new StringBuilder();
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            char c = chars[i];
            if (c == '\n') {
                lines.add(partial.toString());
                partial.setLength(0);
            } else if (c != '\r') {
                partial.append(c);
            }
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** The complete lines so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Everything, including an unfinished last line. */
    synchronized String text() {
        return String.join("\n", lines) + (lines.isEmpty() ? "" : "\n") + partial;
    }
}
