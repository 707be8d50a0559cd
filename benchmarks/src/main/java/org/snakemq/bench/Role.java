package org.snakemq.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.snakemq.link.Link;
import org.snakemq.messaging.Messaging;

/** Helpers for the child side: arguments, reporting to the parent, measuring windows, heap. */
final class Role {

    /** Released when the parent writes the line {@code GO}. */
    static final java.util.concurrent.CountDownLatch GO = new java.util.concurrent.CountDownLatch(1);
    /** Every other line the parent writes, in order (commands of the roles that take several). */
    static final java.util.concurrent.BlockingQueue<String> COMMANDS = new java.util.concurrent.LinkedBlockingQueue<>();

    private final Map<String, String> args;

    Role(Map<String, String> args) {
        this.args = args;
    }

    String get(String key) {
        String value = args.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing role argument " + key);
        }
        return value;
    }

    int integer(String key) {
        return Integer.parseInt(get(key));
    }

    double decimal(String key) {
        return Double.parseDouble(get(key));
    }

    /** The child ends as soon as the parent closes its stdin (or dies). */
    static void haltWhenParentGoes() {
        Thread watcher = new Thread(() -> {
            try {
                java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals("GO")) {
                        GO.countDown();
                    } else {
                        COMMANDS.add(line);
                    }
                }
            } catch (Exception e) {
                // treat as end of input
            }
            exit(0);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Exits normally (so a flight recording is written), halting if shutdown takes over 5 s. */
    static void exit(int status) {
        Thread halter = new Thread(() -> {
            try {
                TimeUnit.SECONDS.sleep(5);
            } catch (InterruptedException e) {
                // halt now
            }
            Runtime.getRuntime().halt(status);
        }, "halter");
        halter.setDaemon(true);
        halter.start();
        System.exit(status);
    }

    /** Sends {@code @key k=v ...} to the parent. */
    static void report(String key, Object... keyValues) {
        StringBuilder line = new StringBuilder("@").append(key);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.append(' ').append(keyValues[i]).append('=').append(keyValues[i + 1]);
        }
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    /** Reports that the role failed with {@code e}: {@code @FAILED reason=<e, spaces as underscores>}. */
    static void reportFailure(Throwable e) {
        report("FAILED", "reason", String.valueOf(e).replace(' ', '_'));
    }

    /** Runs {@code body} on a new daemon thread named {@code name}, which does not keep the role alive. */
    static void startDaemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Events counted over a window. */
    record Window(long count, long nanos, long cpuNanos, long userNanos) {
    }

    /** Clock ticks per second of /proc's CPU times: USER_HZ, 100 on every Linux architecture the JDK runs on. */
    private static final long USER_HZ = 100;

    /** CPU time of this whole process so far. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * User-mode CPU time of this whole process so far (the rest of {@link #processCpuNanos} is the
     * kernel's work on its behalf), at a resolution of 10 ms; -1 where {@code /proc/self/stat} is
     * missing (not Linux).
     */
    static long processUserNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // the fields after the command name, which is in parentheses and may hold spaces; utime is field 14
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) * (1_000_000_000L / USER_HZ);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** User-mode CPU between two {@link #processUserNanos} readings, -1 when either is unknown. */
    private static long userBetween(long user0, long user1) {
        return user0 < 0 || user1 < 0 ? -1 : user1 - user0;
    }

    /**
     * Waits for the first counted event, lets {@code warmup} seconds pass, then counts over
     * {@code seconds}.
     */
    static Window window(LongSupplier counter, double warmup, double seconds) throws InterruptedException {
        if (!await(() -> counter.getAsLong() > 0, Duration.ofSeconds(60))) {
            throw new IllegalStateException("nothing received within 60 s");
        }
        sleepSeconds(warmup);
        return countOver(counter, seconds);
    }

    /** Counts events, CPU time and its user-mode part over the next {@code seconds}. */
    static Window countOver(LongSupplier counter, double seconds) throws InterruptedException {
        long cpu0 = processCpuNanos();
        long user0 = processUserNanos();
        long c0 = counter.getAsLong();
        long t0 = System.nanoTime();
        sleepSeconds(seconds);
        long c1 = counter.getAsLong();
        long t1 = System.nanoTime();
        long cpu1 = processCpuNanos();
        long user1 = processUserNanos();
        return new Window(c1 - c0, t1 - t0, cpu1 - cpu0, userBetween(user0, user1));
    }

    /** {@link #window} reported as {@code @MEASURED count=.. nanos=..}. */
    static void measure(LongSupplier counter, double warmup, double seconds) throws InterruptedException {
        Window w = window(counter, warmup, seconds);
        report("MEASURED", "count", w.count(), "nanos", w.nanos(), "cpuNanos", w.cpuNanos(), "userNanos", w.userNanos());
    }

    static void sleepSeconds(double seconds) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep((long) (seconds * 1e9));
    }

    /**
     * Dials this role's {@code target} port on loopback (reconnect interval 200 ms), starts the link
     * and waits up to 30 s until {@code peer} is connected.
     */
    void dial(Link link, Messaging messaging, String peer) throws InterruptedException {
        link.addConnector(new InetSocketAddress("127.0.0.1", integer("target")), Duration.ofMillis(200), null);
        link.start();
        if (!await(() -> messaging.isConnected(peer), Duration.ofSeconds(30))) {
            throw new IllegalStateException(peer + " not connected");
        }
    }

    /** Polls a condition every millisecond until it holds or the timeout passes. */
    static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(1);
        }
        return true;
    }

    /** The next command line from the parent. */
    static String command() throws InterruptedException {
        return COMMANDS.take();
    }

    /** Heap in use after several full collections. */
    static long settledHeap() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(150);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
