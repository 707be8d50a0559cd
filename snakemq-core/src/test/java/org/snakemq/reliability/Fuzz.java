package org.snakemq.reliability;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A seeded fuzz loop driven from JUnit: try {@code i} gets its own {@link Random} derived from the
 * run's seed and {@code i}, so a failure names the seed and the try that reproduce it. The whole run
 * is bounded in time (a hang fails it, naming the try that hung), and the slowest try is measured.
 */
public final class Fuzz {

    /** One try: generate an input from {@code random} and check the properties on it. */
    @FunctionalInterface
    public interface Case {
        void run(Random random, int tryIndex) throws Exception;
    }

    /** Figures of a finished run. */
    public record Result(String name, long seed, int tries, long slowestMicros) {
        @Override
        public String toString() {
            return tries + " inputs, slowest " + slowestMicros + " us, seed " + seed;
        }
    }

    private Fuzz() {
    }

    /** The number of tries: bounded by default, long with -Dsnakemq.reliability.long=true. */
    public static int tries(String name, int bounded, int longRun) {
        return Runs.size("fuzz." + name, bounded, longRun);
    }

    public static Random randomFor(long seed, int tryIndex) {
        return new Random(seed * 0x9E3779B97F4A7C15L + tryIndex);
    }

    /**
     * Runs {@code tries} tries of {@code fuzzCase}; fails when a try fails or the run exceeds
     * {@code limit}. {@code -Dsnakemq.reliability.fuzz.try=N} runs only try N (to reproduce one).
     */
    public static Result run(String name, long seed, int tries, Duration limit, Case fuzzCase) {
        AtomicInteger current = new AtomicInteger(-1);
        AtomicLong slowest = new AtomicLong();
        Integer only = Integer.getInteger("snakemq.reliability.fuzz.try");
        try {
            assertTimeoutPreemptively(limit, () -> {
                for (int i = 0; i < tries; i++) {
                    if (only != null && i != only) {
                        continue;
                    }
                    current.set(i);
                    long start = System.nanoTime();
                    try {
                        fuzzCase.run(randomFor(seed, i), i);
                    } catch (Throwable t) {
                        throw new AssertionError(failure(name, seed, i) + ": " + t, t);
                    }
                    slowest.accumulateAndGet((System.nanoTime() - start) / 1000, Math::max);
                }
            }, () -> failure(name, seed, current.get()) + ": the run did not finish within " + limit);
        } finally {
            current.set(-1);
        }
        return new Result(name, seed, only != null ? 1 : tries, slowest.get());
    }

    private static String failure(String name, long seed, int tryIndex) {
        return "fuzz " + name + " try " + tryIndex + " (reproduce: -Dsnakemq.reliability.seed=" + seed
                + " -Dsnakemq.reliability.fuzz.try=" + tryIndex + ")";
    }
}
