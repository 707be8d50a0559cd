package org.snakemq.cli;

import java.io.PrintWriter;

/**
 * The command's stdout and stderr. Every line is written whole and flushed at once, from whichever
 * thread prints it (the link's loop thread, an RPC worker, the main thread).
 */
final class Console {

    private final PrintWriter out;
    private final PrintWriter err;

    Console(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    void out(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** One line on stderr, prefixed with the program name. */
    void error(String line) {
        synchronized (err) {
            err.println("snakemq: " + line);
            err.flush();
        }
    }

    /** Replaces the current stderr line (carriage return, no newline): a progress line on a terminal. */
    void errInPlace(String text) {
        synchronized (err) {
            // the trailing blanks wipe what is left of a longer line drawn before
            err.print("\r" + text + "   ");
            err.flush();
        }
    }

    /** Lines on stderr as they are. */
    void errRaw(String text) {
        synchronized (err) {
            err.print(text);
            if (!text.endsWith("\n")) {
                err.println();
            }
            err.flush();
        }
    }
}
