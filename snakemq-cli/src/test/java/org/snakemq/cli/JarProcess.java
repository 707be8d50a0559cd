package org.snakemq.cli;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A child process (the built jar, or python3) with its output lines collected as they come. */
final class JarProcess implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final String command;

    private JarProcess(List<String> command) throws IOException {
        this.command = String.join(" ", command);
        this.process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        readers.add(drain(process.getInputStream(), out));
        readers.add(drain(process.getErrorStream(), err));
    }

    /** {@code java -jar <jar> ARGS}. */
    static JarProcess snakemq(Path jar, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        return new JarProcess(command);
    }

    static JarProcess of(String... command) throws IOException {
        return new JarProcess(List.of(command));
    }

    private static Thread drain(InputStream stream, List<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** After the process ended: waits (bounded) until its last output lines are read. */
    private void readersDone() throws InterruptedException {
        for (Thread reader : readers) {
            reader.join(5000);
        }
    }

    String awaitLine(Predicate<String> matching) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!process.isAlive() && out.stream().noneMatch(matching)) {
                readersDone();
                if (out.stream().noneMatch(matching)) {
                    throw new AssertionError("'" + command + "' ended with " + process.exitValue()
                            + " without the line; stdout: " + out + " stderr: " + err);
                }
            }
            return out.stream().anyMatch(matching);
        });
        return out.stream().filter(matching).findFirst().orElseThrow();
    }

    /** Waits until stdout has {@code count} lines starting with {@code prefix}; returns them. */
    List<String> awaitLines(String prefix, int count) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!process.isAlive() && lines(prefix).size() < count) {
                readersDone();
                if (lines(prefix).size() < count) {
                    throw new AssertionError("'" + command + "' ended with " + process.exitValue()
                            + " before " + count + " lines " + prefix + "; stdout: " + out + " stderr: " + err);
                }
            }
            return lines(prefix).size() >= count;
        });
        return lines(prefix);
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("'" + command + "' still runs; stdout: " + out + " stderr: " + err);
        }
        readersDone();
        return process.exitValue();
    }

    /** SIGKILL. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGTERM. */
    void terminate() {
        process.destroy();
    }

    boolean waitFor(Duration limit) throws InterruptedException {
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<String> out() {
        return List.copyOf(out);
    }

    List<String> err() {
        return List.copyOf(err);
    }

    List<String> lines(String prefix) {
        return out.stream().filter(l -> l.startsWith(prefix)).toList();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return command + " stdout=" + out + " stderr=" + err;
    }
}
