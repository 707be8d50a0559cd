package org.snakemq.cli;

import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * One command run in-process, on its own thread, with captured stdout and stderr, as
 * {@code snakemq ARGS} would run it. {@link #close()} interrupts it if it still runs (as Ctrl-C
 * would) and waits for its end.
 */
final class Cli implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    private final Lines out = new Lines();
    private final Lines err = new Lines();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Thread thread;
    private final String command;

    private Cli(Terminal terminal, String... args) {
        this.command = String.join(" ", args);
        this.thread = new Thread(() -> {
            try {
                exit.complete(SnakemqCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), terminal)
                        .execute(args));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "cli " + (args.length > 0 ? args[0] : ""));
        thread.setDaemon(true);
    }

    /** Starts the command in the background. */
    static Cli start(String... args) {
        return start(Terminal.NONE, args);
    }

    /** Starts the command in the background, with stderr a terminal or not as {@code terminal} says. */
    static Cli start(Terminal terminal, String... args) {
        Cli cli = new Cli(terminal, args);
        cli.thread.start();
        return cli;
    }

    /** Runs the command to its end (at most {@link #WAIT}). */
    static Cli run(String... args) {
        Cli cli = start(args);
        cli.awaitExit();
        return cli;
    }

    /** Starts {@code listen} as bob on a free loopback port, with the test's own options. */
    static Cli listenAsBob(String... more) {
        return start(args(new String[] {"listen", "--identity", "bob", "--listen", "127.0.0.1:0"}, more));
    }

    /** Runs {@code send} from alice to bob at {@code address}, with the test's own options and texts. */
    static Cli sendFromAliceToBob(String address, String... more) {
        return run(args(new String[] {"send", "--identity", "alice", "--connect", address, "--to", "bob"}, more));
    }

    /** The arguments {@code head} followed by {@code more}: a helper's fixed options and a test's own. */
    static String[] args(String[] head, String... more) {
        String[] args = Arrays.copyOf(head, head.length + more.length);
        System.arraycopy(more, 0, args, head.length, more.length);
        return args;
    }

    /** The exit code, waiting up to {@link #WAIT}. */
    int awaitExit() {
        return awaitExit(WAIT);
    }

    int awaitExit(Duration limit) {
        try {
            return exit.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("'" + command + "' still runs after " + limit + "; stdout:\n" + out.text()
                    + "\nstderr:\n" + err.text());
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("'" + command + "' failed", e);
        }
    }

    boolean isRunning() {
        return !exit.isDone();
    }

    /** Waits for the first stdout line that matches and returns it. */
    String awaitLine(Predicate<String> matching) {
        AtomicReference<String> found = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> {
            if (exit.isDone() && out.lines().stream().noneMatch(matching)) {
                throw new AssertionError("'" + command + "' ended (" + exit.get() + ") without the line; stdout:\n"
                        + out.text() + "\nstderr:\n" + err.text());
            }
            out.lines().stream().filter(matching).findFirst().ifPresent(found::set);
            return found.get() != null;
        });
        return found.get();
    }

    /** Waits until stdout has {@code count} lines starting with {@code prefix}; returns them. */
    List<String> awaitLines(String prefix, int count) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> {
            if (exit.isDone() && lines(prefix).size() < count) {
                throw new AssertionError("'" + command + "' ended (" + exit.get() + ") with fewer lines; stdout:\n"
                        + out.text() + "\nstderr:\n" + err.text());
            }
            return lines(prefix).size() >= count;
        });
        return lines(prefix);
    }

    /** The stdout lines starting with {@code prefix}. */
    List<String> lines(String prefix) {
        return out.lines().stream().filter(l -> l.startsWith(prefix)).toList();
    }

    /** {@code 127.0.0.1:PORT} from the first LISTENING line. */
    String address() {
        return awaitLine(l -> l.startsWith("LISTENING ")).substring("LISTENING ".length());
    }

    List<String> out() {
        return out.lines();
    }

    String outText() {
        return out.text();
    }

    String errText() {
        return err.text();
    }

    List<String> err() {
        return err.lines();
    }

    @Override
    public void close() {
        if (!exit.isDone()) {
            thread.interrupt();
        }
        try {
            exit.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("'" + command + "' did not end", e);
        }
    }

    @Override
    public String toString() {
        return command;
    }
}
