package org.snakemq.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running one role of a scenario, started from the same class path with the same java
 * binary. It talks back through stdout lines {@code @KEY k=v ...}; closing its stdin ends it.
 */
final class Child implements AutoCloseable {

    private static final String EOF = "\u0000eof";

    private final String role;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Child(String role, Process process) {
        this.role = role;
        this.process = process;
        Thread reader = new Thread(this::pump, "child-" + role);
        reader.setDaemon(true);
        reader.start();
    }

    static Child start(Bench bench, String role, List<String> jvmOptions, Map<String, ?> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.addAll(bench.childJvmOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchMain.class.getName());
        command.add("--role");
        command.add(role);
        args.forEach((k, v) -> command.add(k + "=" + v));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        return new Child(role, builder.start());
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
    }

    /** How long a child may take to start and report {@code @READY}. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /** Waits for the child's {@code @READY} line (a listener reports its port as {@code target}). */
    Map<String, String> awaitReady() throws InterruptedException {
        return await("READY", READY_TIMEOUT);
    }

    long pid() {
        return process.pid();
    }

    /** CPU time the child process used so far (user and system), in nanoseconds; -1 when unknown. */
    long cpuNanos() {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** Ends the child at once, as a crash would (SIGKILL). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Writes one line to the child's stdin. */
    void tell(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Waits for the line {@code @key ...} and returns its {@code k=v} fields. */
    Map<String, String> await(String key, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new IllegalStateException(role + ": no @" + key + " within " + timeout);
            }
            if (line == EOF) {
                throw new IllegalStateException(role + " ended (exit " + exitCode() + ") before @" + key);
            }
            if (line.equals("@" + key) || line.startsWith("@" + key + " ")) {
                return fields(line.substring(key.length() + 1).trim());
            }
            if (line.startsWith("@FAILED")) {
                throw new IllegalStateException(role + " failed: " + line.substring(7).trim());
            }
        }
    }

    /** Like {@link #await}, but skips to the newest such line already received. */
    Map<String, String> latest(String key, Duration timeout) throws InterruptedException {
        Map<String, String> fields = await(key, timeout);
        for (String line : lines.toArray(new String[0])) {
            if (line.startsWith("@" + key + " ")) {
                fields = fields(line.substring(key.length() + 1).trim());
            }
        }
        return fields;
    }

    private String exitCode() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    static Map<String, String> fields(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String part : text.split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                map.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return map;
    }

    /** Per second: a report's {@code count} over its {@code nanos}, as {@link Role#measure} reports them. */
    static double perSecond(Map<String, String> fields) {
        return Double.parseDouble(fields.get("count")) * 1e9 / Double.parseDouble(fields.get("nanos"));
    }

    /** A nanosecond field of a report divided by its {@code count}; -1 when the field is missing or unknown. */
    static double perMessage(Map<String, String> fields, String nanosField) {
        String nanos = fields.get(nanosField);
        if (nanos == null || Double.parseDouble(nanos) < 0) {
            return -1;
        }
        return Double.parseDouble(nanos) / Math.max(1, Double.parseDouble(fields.get("count")));
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("@")) {
                    lines.add(line);
                } else {
                    System.err.println("[" + role + "] " + line);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        lines.add(EOF);
    }

    /** Closes the child's stdin (it then halts), waits a little, then kills it. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
