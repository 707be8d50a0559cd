package org.snakemq.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One measured figure beside a baseline measured in the same run. The ratio is always "above 1 is
 * better for snakeMQ": value/baseline for rates, baseline/value for latencies and memory.
 *
 * @param lowerIsBetter true for latencies and memory, where the ratio is baseline/value
 */
public record Result(String name, double value, String unit, String baselineName, double baselineValue,
                     boolean lowerIsBetter) {

    private static final Pattern LINE = Pattern.compile(
            "RESULT (\\S+) value=(\\S+) unit=(\\S+) baseline=(\\S+):(\\S+) ratio=(\\S+)");

    public double ratio() {
        if (value <= 0 || baselineValue <= 0) {
            return 0;
        }
        return lowerIsBetter ? baselineValue / value : value / baselineValue;
    }

    /** The machine-readable line: {@code RESULT <name> value=<n> unit=<u> baseline=<b>:<n> ratio=<r>}. */
    public String line() {
        return "RESULT " + name + " value=" + number(value) + " unit=" + unit + " baseline=" + baselineName + ":"
                + number(baselineValue) + " ratio=" + String.format(Locale.ROOT, "%.3f", ratio());
    }

    /** Parses a {@link #line()}; the direction of the ratio is not on the line, so it is derived from it. */
    public static Result parse(String line) {
        Matcher m = LINE.matcher(line.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a RESULT line: " + line);
        }
        double value = Double.parseDouble(m.group(2));
        double baseline = Double.parseDouble(m.group(5));
        double ratio = Double.parseDouble(m.group(6));
        boolean lower = value > 0 && Math.abs(baseline / value - ratio) < Math.abs(value / baseline - ratio);
        return new Result(m.group(1), value, m.group(3), m.group(4), baseline, lower);
    }

    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1000 || a == 0) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
