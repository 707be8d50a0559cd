package org.snakemq.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What every scenario needs: run length, size presets, child JVM options, output. */
final class Bench {

    private final double seconds;
    private final boolean quick;
    private final List<String> childJvmOptions;
    private final PrintStream out;
    private boolean skipBaselines;
    private final Map<String, Double> shared = new HashMap<>();
    private final List<Result> results = new ArrayList<>();

    Bench(double seconds, boolean quick, List<String> childJvmOptions, PrintStream out) {
        this.seconds = seconds;
        this.quick = quick;
        this.childJvmOptions = List.copyOf(childJvmOptions);
        this.out = out;
    }

    /** The measured window of each run. */
    double seconds() {
        return seconds;
    }

    /** The warm-up before each measured window: a third of it, between 0.3 and 2 seconds. */
    double warmup() {
        return Math.max(0.3, Math.min(2.0, seconds / 3));
    }

    /**
     * The warm-up for a scenario whose hot paths the JIT needs longer to compile: at least
     * {@code minimum} seconds, except in a quick smoke run.
     */
    double warmupOfAtLeast(double minimum) {
        return quick ? warmup() : Math.max(warmup(), minimum);
    }

    /** Small counts for a smoke run. */
    boolean quick() {
        return quick;
    }

    /** For profiling: measure snakeMQ only (no RESULT line can be printed then). */
    boolean skipBaselines() {
        return skipBaselines;
    }

    void setSkipBaselines(boolean skip) {
        this.skipBaselines = skip;
    }

    List<String> childJvmOptions() {
        return childJvmOptions;
    }

    /** Generous time for a child to finish a measured run. */
    Duration runTimeout() {
        return Duration.ofSeconds((long) (warmup() + seconds + 90));
    }

    /** Figures one scenario measured that another may reuse as its baseline. */
    Map<String, Double> shared() {
        return shared;
    }

    void note(String text) {
        out.println("# " + text);
        out.flush();
    }

    void add(Result result) {
        results.add(result);
        out.println(result.line());
        out.flush();
    }

    List<Result> results() {
        return results;
    }
}
