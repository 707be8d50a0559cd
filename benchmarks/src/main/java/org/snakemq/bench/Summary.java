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
        String format = "%-28s %14s %-9s %-34s %8s  %s%n";
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
        String name = r.name();
        boolean grpc = r.baselineName().startsWith("grpc");
        if (name.startsWith("latency_") && !name.startsWith("latency_spin0_") && name.endsWith("_p99")
                && r.baselineName().equals(LatencyScenario.JEROMQ)) {
            return name.equals("latency_100k_p99")
                    ? verdict(r.ratio() >= 1.0 && r.value() < 1000, "<= JeroMQ and < 1 ms")
                    : verdict(r.ratio() >= 1.0, "<= JeroMQ");
        }
        return switch (name) {
            case "transient_100b" -> r.baselineName().startsWith("jeromq")
                    ? verdict(r.ratio() >= 2.0 && r.value() >= 2_000_000, ">= 2,000,000/s and ratio >= 2")
                    : "";
            case "persistent_100b" -> verdict(r.value() >= 100_000 && r.ratio() >= 0.85, ">= 100,000/s, ratio >= 0.85");
            case "rpc_roundtrip_median" -> grpc ? verdict(r.ratio() >= 1.0, "ratio >= 1")
                    : verdict(r.ratio() >= 1.5, "ratio >= 1.5");
            case "rpc_roundtrip_p99", "rpc_roundtrip_calls_16" -> grpc ? verdict(r.ratio() >= 1.0, "ratio >= 1") : "";
            case "queued_memory" -> verdict(r.value() <= 150, "<= 150 B/msg");
            case "fan_in_1000", "fan_in_10000" -> verdict(r.ratio() >= 0.5, "ratio >= 0.5");
            case "fan_in_1000_cpu", "fan_in_10000_cpu" -> verdict(r.value() <= 1.5 * r.baselineValue(),
                    "<= 1.5x the receiver's");
            case "fan_in_1000_peers", "peers_10000_identified", "storm_10000_connected_after" ->
                    verdict(r.value() >= r.baselineValue(), "all peers");
            case "peers_10000_heap_per_idle" -> verdict(r.value() <= 16, "<= 16 KB");
            case "storm_10000_reidentified" -> verdict(r.value() <= 30, "<= 30 s");
            case "storm_10000_shortest_wait" -> verdict(r.value() >= r.baselineValue(), ">= the interval");
            default -> "";
        };
    }

    private static String verdict(boolean met, String goal) {
        return (met ? "MET " : "MISSED ") + goal;
    }
}
