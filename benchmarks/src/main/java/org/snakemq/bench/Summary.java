package org.snakemq.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The closing table, with the product goals beside the figures that have one. */
final class Summary {

    private Summary() {
    }

    static void print(List<Result> results, PrintStream out) {
        out.println();
        String format = "%-22s %14s %-9s %-34s %8s  %s%n";
        out.printf(Locale.ROOT, format, "figure", "value", "unit", "baseline", "ratio", "goal");
        for (Result r : results) {
            out.printf(Locale.ROOT, format, r.name(), Result.number(r.value()), r.unit(),
                    r.baselineName() + " " + Result.number(r.baselineValue()),
                    String.format(Locale.ROOT, "%.3f", r.ratio()), goal(r));
        }
        out.println("(ratio above 1 is better for snakeMQ: value/baseline for rates,"
                + " baseline/value for latency and memory)");
        out.flush();
    }

    private static String goal(Result r) {
        return switch (r.name()) {
            case "transient_100b" -> r.baselineName().startsWith("jeromq")
                    ? verdict(r.ratio() >= 1.0 && r.value() >= 2_000_000, ">= 2,000,000/s and ratio >= 1")
                    : "";
            case "persistent_100b" -> verdict(r.value() >= 100_000, ">= 100,000/s");
            case "rpc_roundtrip_median" -> verdict(r.ratio() >= 1.0, "ratio >= 1");
            case "queued_memory" -> verdict(r.value() <= 250, "<= 250 B/msg");
            case "fan_in_1000_peers" -> verdict(r.value() >= r.baselineValue(), "all peers at once");
            default -> "";
        };
    }

    private static String verdict(boolean met, String goal) {
        return (met ? "MET " : "MISSED ") + goal;
    }
}
