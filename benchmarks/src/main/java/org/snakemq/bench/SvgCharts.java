package org.snakemq.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two SVG charts of a run, drawn from its RESULT figures: the latency-under-load percentiles of
 * snakeMQ and JeroMQ per offered rate (log scale), and the ratios of every rate figure to its
 * baseline. Plain SVG 1.1 written by hand: no library, readable in any browser.
 */
final class SvgCharts {

    static final String SNAKEMQ_COLOR = "#2b7a3d";
    static final String BASELINE_COLOR = "#8c8c8c";
    static final String SPIN0_COLOR = "#8fcf9c";

    private SvgCharts() {
    }

    /** Writes the charts that the results allow; returns the files written. */
    static List<Path> write(List<Result> results, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        String latency = latencyChart(results);
        if (latency != null) {
            Path file = directory.resolve("latency-under-load.svg");
            Files.writeString(file, latency, StandardCharsets.UTF_8);
            written.add(file);
        }
        String ratios = ratioChart(results);
        if (ratios != null) {
            Path file = directory.resolve("throughput-ratios.svg");
            Files.writeString(file, ratios, StandardCharsets.UTF_8);
            written.add(file);
        }
        return written;
    }

    /** Grouped bars per offered rate and percentile, snakeMQ beside JeroMQ, on a log10 axis in µs. */
    static String latencyChart(List<Result> results) {
        Map<String, Result> bars = new LinkedHashMap<>();
        Map<String, Result> spin0 = new LinkedHashMap<>();
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Result r : results) {
            // the chart sets snakeMQ beside JeroMQ; the raw-socket floor is in the table
            if (!r.name().startsWith("latency_") || !r.unit().equals("us")
                    || !r.baselineName().equals(LatencyScenario.JEROMQ)) {
                continue;
            }
            if (r.name().startsWith("latency_spin0_")) {
                spin0.put(r.name().substring("latency_spin0_".length()), r);
            } else {
                bars.put(r.name().substring("latency_".length()), r);
            }
            min = Math.min(min, Math.min(r.value(), r.baselineValue()));
            max = Math.max(max, Math.max(r.value(), r.baselineValue()));
        }
        if (bars.isEmpty()) {
            return null;
        }
        int lowExp = (int) Math.floor(Math.log10(Math.max(0.1, min)));
        int highExp = (int) Math.ceil(Math.log10(Math.max(max, 1)));
        if (highExp <= lowExp) {
            highExp = lowExp + 1;
        }
        int left = 70;
        int top = 50;
        int plotHeight = 320;
        int group = 56;
        int width = Math.max(760, left + bars.size() * group + 30);
        int height = top + plotHeight + 90;
        Svg svg = new Svg(width, height);
        svg.text(width / 2.0, 22, "One-way latency under load (from the intended send time, log scale)", 15, "middle",
                "bold");
        svg.legend(left, 38, "snakemq-java", SNAKEMQ_COLOR, "JeroMQ PUSH/PULL", BASELINE_COLOR);
        if (!spin0.isEmpty()) {
            svg.rect(left + 300, 28, 12, 12, SPIN0_COLOR, "spin limit 0");
            svg.text(left + 316, 38, "snakemq-java, spin limit 0", 12, "start", "normal");
        }
        for (int e = lowExp; e <= highExp; e++) {
            double y = top + plotHeight - (e - lowExp) * (double) plotHeight / (highExp - lowExp);
            svg.line(left, y, width - 20, y, "#dddddd");
            svg.text(left - 6, y + 4, micros(Math.pow(10, e)), 11, "end", "normal");
        }
        int i = 0;
        String lastRate = null;
        for (Map.Entry<String, Result> entry : bars.entrySet()) {
            String[] parts = entry.getKey().split("_");
            String rate = parts[0];
            String percentile = parts.length > 1 ? parts[1] : "";
            double x = left + i * group + 6;
            double ours = entry.getValue().value();
            double theirs = entry.getValue().baselineValue();
            Result noSpin = spin0.get(entry.getKey());
            if (noSpin == null) {
                bar(svg, x, 20, ours, lowExp, highExp, top, plotHeight, SNAKEMQ_COLOR);
                bar(svg, x + 22, 20, theirs, lowExp, highExp, top, plotHeight, BASELINE_COLOR);
            } else {
                bar(svg, x, 14, ours, lowExp, highExp, top, plotHeight, SNAKEMQ_COLOR);
                bar(svg, x + 14, 14, noSpin.value(), lowExp, highExp, top, plotHeight, SPIN0_COLOR);
                bar(svg, x + 28, 14, theirs, lowExp, highExp, top, plotHeight, BASELINE_COLOR);
            }
            svg.text(x + 21, top + plotHeight + 16, percentile.replace("p999", "p99.9"), 11, "middle", "normal");
            if (!rate.equals(lastRate)) {
                svg.text(x + 2, top + plotHeight + 36, rate + " msg/s", 12, "start", "bold");
                if (lastRate != null) {
                    svg.line(x - 6, top, x - 6, top + plotHeight + 40, "#bbbbbb");
                }
                lastRate = rate;
            }
            i++;
        }
        svg.line(left, top + plotHeight, width - 20, top + plotHeight, "#444444");
        svg.text(left, top + plotHeight + 56, "bars per rate: p50, p99, p99.9, max of every message in the window;"
                + " hover a bar for its value", 11, "start", "normal");
        svg.text(left, height - 12, "100-byte messages at fixed offered rates, one sender to one receiver on"
                + " loopback; lower is better", 11, "start", "normal");
        return svg.finish();
    }

    private static void bar(Svg svg, double x, double w, double value, int lowExp, int highExp, int top,
                            int plotHeight, String color) {
        double log = Math.log10(Math.max(value, Math.pow(10, lowExp)));
        double h = (log - lowExp) * plotHeight / (highExp - lowExp);
        svg.rect(x, top + plotHeight - h, w, Math.max(1, h), color, micros(value) + " µs");
    }

    private static String micros(double us) {
        if (us >= 1_000_000) {
            return String.format(Locale.ROOT, "%.0f s", us / 1e6);
        }
        if (us >= 1000) {
            return String.format(Locale.ROOT, "%.0f ms", us / 1000);
        }
        return String.format(Locale.ROOT, us >= 1 ? "%.0f µs" : "%.1f µs", us);
    }

    /** One horizontal bar per rate figure (msg/s, MB/s, calls/s): its ratio to its baseline, with 1 marked. */
    static String ratioChart(List<Result> results) {
        List<Result> rates = new ArrayList<>();
        for (Result r : results) {
            if (!r.lowerIsBetter() && (r.unit().equals("msg/s") || r.unit().equals("calls/s"))) {
                rates.add(r);
            }
        }
        if (rates.isEmpty()) {
            return null;
        }
        double maxRatio = 1;
        for (Result r : rates) {
            maxRatio = Math.max(maxRatio, r.ratio());
        }
        double scaleMax = Math.ceil(maxRatio * 2) / 2;
        int left = 330;
        int plotWidth = 420;
        int row = 22;
        int top = 50;
        int width = left + plotWidth + 70;
        int height = top + rates.size() * row + 40;
        Svg svg = new Svg(width, height);
        svg.text(width / 2.0, 22, "Throughput: snakemq-java / baseline of the same run", 15, "middle", "bold");
        for (double t = 0; t <= scaleMax + 1e-9; t += scaleMax > 4 ? 1 : 0.5) {
            double x = left + t / scaleMax * plotWidth;
            svg.line(x, top - 6, x, top + rates.size() * row, t == 1 ? "#cc3333" : "#dddddd");
            svg.text(x, top - 10, String.format(Locale.ROOT, t == Math.rint(t) ? "%.0f" : "%.1f", t), 11, "middle",
                    "normal");
        }
        int i = 0;
        for (Result r : rates) {
            double y = top + i * row;
            svg.text(left - 8, y + 15, r.name() + " vs " + r.baselineName(), 12, "end", "normal");
            double w = Math.max(1, r.ratio() / scaleMax * plotWidth);
            svg.rect(left, y + 3, w, row - 6, r.ratio() >= 1 ? SNAKEMQ_COLOR : "#c0392b",
                    String.format(Locale.ROOT, "%s %s vs %s %s", Result.number(r.value()), r.unit(),
                            r.baselineName(), Result.number(r.baselineValue())));
            svg.text(left + w + 5, y + 15, String.format(Locale.ROOT, "%.2f", r.ratio()), 11, "start", "normal");
            i++;
        }
        svg.text(left, height - 10, "red line: equal to the baseline", 11, "start", "normal");
        return svg.finish();
    }

    /** A minimal SVG document builder. */
    static final class Svg {
        private final StringBuilder out = new StringBuilder();

        Svg(int width, int height) {
            out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                    .append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
                            + " height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n", width, height, width,
                            height))
                    .append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width,
                            height));
        }

        void rect(double x, double y, double w, double h, String fill, String title) {
            out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                    + " fill=\"%s\"><title>%s</title></rect>\n", x, y, w, h, fill, escape(title)));
        }

        void line(double x1, double y1, double x2, double y2, String stroke) {
            out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
                    + " stroke=\"%s\" stroke-width=\"1\"/>\n", x1, y1, x2, y2, stroke));
        }

        void text(double x, double y, String text, int size, String anchor, String weight) {
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\""
                    + " font-weight=\"%s\">%s</text>\n", x, y, size, anchor, weight, escape(text)));
        }

        void legend(double x, double y, String first, String firstColor, String second, String secondColor) {
            rect(x, y - 10, 12, 12, firstColor, first);
            text(x + 16, y, first, 12, "start", "normal");
            rect(x + 130, y - 10, 12, 12, secondColor, second);
            text(x + 146, y, second, 12, "start", "normal");
        }

        String finish() {
            return out.append("</svg>\n").toString();
        }

        static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }
}
