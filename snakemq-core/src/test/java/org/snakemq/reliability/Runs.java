package org.snakemq.reliability;

/**
 * How big the reliability runs are. The default (bounded) sizes keep the suite to a minute or two;
 * {@code -Dsnakemq.reliability.long=true} switches every scenario to its long size, and a single
 * size can be set with {@code -Dsnakemq.reliability.<name>=<number>}.
 */
public final class Runs {

    private Runs() {
    }

    /** Whether the long runs were asked for. */
    public static boolean isLong() {
        return Boolean.getBoolean("snakemq.reliability.long");
    }

    /** A size: the explicit property if set, else the long or the default value. */
    public static int size(String name, int bounded, int longRun) {
        String explicit = System.getProperty("snakemq.reliability." + name);
        if (explicit != null) {
            return Integer.parseInt(explicit.replace("_", ""));
        }
        return isLong() ? longRun : bounded;
    }

    /** The seed for random faults and inputs: {@code -Dsnakemq.reliability.seed}, else a fixed default. */
    public static long seed(long fallback) {
        return Long.getLong("snakemq.reliability.seed", fallback);
    }

    /** One line of figures for the report, on stdout (kept in the surefire report). */
    public static void report(String scenario, String figures) {
        System.out.println("[reliability] " + scenario + ": " + figures);
    }
}
