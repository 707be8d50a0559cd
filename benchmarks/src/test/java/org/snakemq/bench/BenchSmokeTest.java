package org.snakemq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/** Runs every scenario very briefly and checks that it prints parseable RESULT lines; no speed is asserted. */
class BenchSmokeTest {

    @Test
    void everyScenarioPrintsParseableResultLines() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = BenchMain.run(new String[] {"--seconds", "0.5", "--quick"}, out);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(output);

        assertThat(status).as("exit status; output:%n%s", output).isZero();
        List<String> lines = output.lines().filter(l -> l.startsWith("RESULT ")).toList();
        List<Result> results = lines.stream().map(Result::parse).toList();
        for (Result result : results) {
            assertThat(result.value()).as(result.name()).isPositive();
            assertThat(result.baselineValue()).as(result.name()).isPositive();
            assertThat(result.unit()).isNotBlank();
            double expected = result.lowerIsBetter() ? result.baselineValue() / result.value()
                    : result.value() / result.baselineValue();
            assertThat(result.ratio()).as(result.name()).isCloseTo(expected, Percentage.withPercentage(2));
        }
        Set<String> names = results.stream().map(Result::name).collect(Collectors.toSet());
        for (Scenario scenario : BenchMain.SCENARIOS) {
            if (!scenario.available()) {
                continue;
            }
            assertThat(names).as("RESULT lines of %s", scenario.name())
                    .anyMatch(n -> n.startsWith(scenario.name()));
        }
        assertThat(output).contains("figure", "ratio above 1 is better");
    }

    @Test
    void resultLineRoundTripsAndRatioFavoursSnakemq() {
        Result rate = new Result("transient_100b", 3_000_000, "msg/s", "jeromq_push_pull", 1_500_000, false);
        Result latency = new Result("rpc_roundtrip_median", 50, "us", "jeromq_req_rep", 75, true);

        assertThat(rate.line()).isEqualTo(
                "RESULT transient_100b value=3000000 unit=msg/s baseline=jeromq_push_pull:1500000 ratio=2.000");
        assertThat(latency.ratio()).isEqualTo(1.5);
        assertThat(Result.parse(rate.line())).isEqualTo(rate);
        assertThat(Result.parse(latency.line())).isEqualTo(latency);
    }
}
