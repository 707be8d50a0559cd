package org.snakemq.reliability;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

/**
 * A peer in its own JVM, started from the test classpath, whose stdout goes to a file. The file
 * matters: {@link Process#destroyForcibly()} (SIGKILL) also closes our end of a pipe, while every
 * line the child wrote before dying is still in the file. Lines are read incrementally.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final OutputStream stdin;
    private long position;
    private final StringBuilder partial = new StringBuilder();

    /** Starts {@code mainClass} with {@code args}; stdout goes to {@code out}, stderr beside it. */
    ChildJvm(Class<?> mainClass, Path out, String maxHeap, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + maxHeap, "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=logback-child.xml",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        this.out = out;
        Files.deleteIfExists(out);
        Files.createFile(out);
        this.process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(out.resolveSibling(out.getFileName() + ".err").toFile())
                .start();
        this.stdin = process.getOutputStream();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends one line to the child's stdin. */
    void command(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        stdin.flush();
    }

    /** The complete lines written since the last call. */
    synchronized List<String> newLines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (RandomAccessFile file = new RandomAccessFile(out.toFile(), "r")) {
            long length = file.length();
            if (length > position) {
                byte[] bytes = new byte[(int) (length - position)];
                file.seek(position);
                file.readFully(bytes);
                position = length;
                partial.append(new String(bytes, StandardCharsets.US_ASCII));
            }
        }
        int start = 0;
        int newline;
        while ((newline = partial.indexOf("\n", start)) >= 0) {
            lines.add(partial.substring(start, newline));
            start = newline + 1;
        }
        partial.delete(0, start);
        return lines;
    }

    /**
     * Reads lines, handing each to {@code sink}, until one matches {@code until}; fails after
     * {@code timeout} or when the child died without writing it.
     */
    String awaitLine(Predicate<String> until, java.util.function.Consumer<String> sink, Duration timeout) {
        String[] found = new String[1];
        Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
            for (String line : newLines()) {
                sink.accept(line);
                if (found[0] == null && until.test(line)) {
                    found[0] = line;
                }
            }
            if (found[0] == null && !process.isAlive()) {
                for (String line : newLines()) {
                    sink.accept(line);
                }
                throw new IllegalStateException("child exited with " + process.exitValue() + " before the line came; "
                        + Files.readString(out.resolveSibling(out.getFileName() + ".err")));
            }
            return found[0] != null;
        });
        return found[0];
    }

    /** SIGKILL, then waits for the process to be gone. Returns the exit code (137 for SIGKILL). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child " + process.pid() + " did not die");
        }
        return process.exitValue();
    }

    /** Asks the child to end (stdin closed), then kills it if it does not within the timeout. */
    int stop(Duration timeout) throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return kill();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
