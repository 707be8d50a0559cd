package org.snakemq.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one entry point: {@code java -jar benchmarks.jar [--scenario NAME[,NAME]] [--seconds S]}.
 * Every scenario runs its sender and receiver in separate child JVMs on loopback and prints
 * {@code RESULT} lines, each beside a baseline measured in the same run; a summary table follows.
 */
public final class BenchMain {

    /** A child-side role. */
    interface RoleMain {
        void run(Role role) throws Exception;
    }

    static final List<Scenario> SCENARIOS = List.of(
            TransientScenario.scenario("transient_100b", 100),
            TransientScenario.scenario("transient_1kib", 1024),
            TransientScenario.scenario("transient_64kib", 65536),
            PersistentScenario.scenario(),
            RpcScenario.scenario(),
            QueuedMemoryScenario.scenario(),
            FanInScenario.scenario(),
            StacksFanInScenario.scenario(),
            PeersScenario.scenario(),
            LatencyScenario.scenario(),
            SpringConversionScenario.scenario());

    static final Map<String, RoleMain> ROLES = new LinkedHashMap<>();

    static {
        TransientScenario.roles(ROLES);
        PersistentScenario.roles(ROLES);
        RpcScenario.roles(ROLES);
        QueuedMemoryScenario.roles(ROLES);
        StacksFanInScenario.roles(ROLES);
        Hub.roles(ROLES);
        RawPeers.roles(ROLES);
        LatencyScenario.roles(ROLES);
        SpringConversionScenario.roles(ROLES);
    }

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("--role")) {
            runRole(args[1], Arrays.copyOfRange(args, 2, args.length));
            return;
        }
        int status = run(args, System.out);
        System.exit(status);
    }

    /** Runs the scenarios the arguments select; returns the process exit status. */
    static int run(String[] args, PrintStream out) throws Exception {
        double seconds = 5;
        boolean quick = false;
        boolean skipBaselines = false;
        List<String> names = new ArrayList<>();
        List<String> childOptions = new ArrayList<>();
        java.nio.file.Path charts = defaultChartDirectory();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scenario" -> names.addAll(Arrays.asList(args[++i].split(",")));
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--quick" -> quick = true;
                case "--skip-baselines" -> skipBaselines = true;
                case "--child-jvm-option" -> childOptions.add(args[++i]);
                case "--charts" -> charts = java.nio.file.Path.of(args[++i]);
                case "--list" -> {
                    SCENARIOS.forEach(s -> out.printf("%-16s %s%s%n", s.name(), s.description(),
                            s.available() ? "" : " (not in this build of snakemq-core)"));
                    return 0;
                }
                case "-h", "--help" -> {
                    usage(out);
                    return 0;
                }
                default -> {
                    usage(out);
                    return 2;
                }
            }
        }
        Bench bench = new Bench(seconds, quick, childOptions, out);
        bench.setSkipBaselines(skipBaselines);
        List<Scenario> selected = new ArrayList<>();
        if (names.isEmpty()) {
            for (Scenario scenario : SCENARIOS) {
                if (scenario.available()) {
                    selected.add(scenario);
                } else {
                    bench.note("scenario " + scenario.name() + " skipped: not in this build of snakemq-core");
                }
            }
        } else {
            for (String name : names) {
                selected.add(SCENARIOS.stream().filter(s -> s.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown scenario " + name
                                + "; --list shows them")));
            }
        }
        bench.note(String.format(Locale.ROOT,
                "java %s, %d cores, measured window %.1f s after %.1f s warm-up (or the longer one a scenario names)%s",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), seconds,
                bench.warmup(), quick ? ", quick counts" : ""));
        int failures = 0;
        for (Scenario scenario : selected) {
            bench.note("scenario " + scenario.name() + ": " + scenario.description());
            try {
                scenario.run(bench);
            } catch (Exception e) {
                failures++;
                bench.note("scenario " + scenario.name() + " FAILED: " + e);
                e.printStackTrace();
            }
        }
        Summary.print(bench.results(), out);
        try {
            for (java.nio.file.Path chart : SvgCharts.write(bench.results(), charts)) {
                out.println("# chart written: " + chart);
            }
        } catch (java.io.IOException e) {
            out.println("# charts not written: " + e);
        }
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    /** Beside the jar (benchmarks/target/) or the classes directory it runs from (its target/). */
    static java.nio.file.Path defaultChartDirectory() {
        try {
            java.nio.file.Path source = java.nio.file.Path.of(
                    BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            java.nio.file.Path parent = source.getParent();
            return parent != null ? parent : java.nio.file.Path.of(".");
        } catch (Exception e) {
            return java.nio.file.Path.of("benchmarks", "target");
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar benchmarks.jar [--scenario NAME[,NAME...]] [--seconds S] [--quick]"
                + " [--child-jvm-option OPT]... [--charts DIR] [--list]");
    }

    private static void runRole(String name, String[] args) throws Exception {
        RoleMain role = ROLES.get(name);
        if (role == null) {
            throw new IllegalArgumentException("unknown role " + name);
        }
        Role.haltWhenParentGoes();
        try {
            role.run(new Role(Child.fields(String.join(" ", args))));
        } catch (Throwable e) {
            Role.reportFailure(e);
            e.printStackTrace();
            Role.exit(1);
        }
        Role.exit(0);
    }
}
