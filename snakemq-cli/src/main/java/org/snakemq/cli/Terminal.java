package org.snakemq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stderr is a terminal, which decides whether {@code send --count} draws a progress line.
 * Asked once per command, on the command's thread.
 */
@FunctionalInterface
interface Terminal {

    /** Never a terminal: no progress. */
    Terminal NONE = () -> false;

    boolean stderrIsTerminal();

    /**
     * The process's own stderr. On Linux the file descriptor's target says it exactly (a
     * {@code /dev/pts/N} or {@code /dev/ttyN} device); elsewhere the JDK's console, which exists
     * only while the process runs interactively, stands in for it.
     */
    static Terminal system() {
        return () -> {
            Path fd = Path.of("/proc/self/fd/2");
            try {
                if (Files.isSymbolicLink(fd)) {
                    return isTerminalDevice(Files.readSymbolicLink(fd).toString());
                }
            } catch (IOException | SecurityException | UnsupportedOperationException e) {
                // fall through to the console check
            }
            return System.console() != null;
        };
    }

    /** Whether a file descriptor's target names a terminal device. */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.matches("/dev/tty[0-9A-Za-z]*")
                || target.equals("/dev/console");
    }
}
