package org.snakemq.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import org.snakemq.link.Link;
import org.snakemq.messaging.Messaging;
import org.snakemq.spring.SnakeListener;
import org.snakemq.spring.SnakeMqTemplate;

/**
 * Two Spring Boot applications with the starter, one sender to one receiver: {@code SnakeMqTemplate.convertAndSend}
 * of a small record as JSON (Jackson 3, Boot's {@code JsonMapper}) into a typed {@code @SnakeListener},
 * beside the same template sending the same JSON as a {@code byte[]} into a {@code byte[]} listener:
 * what conversion costs end to end. Counted at the receiver; the sender keeps at most
 * {@value #WINDOW} sends waiting for their acknowledgement.
 */
final class SpringConversionScenario {

    static final List<String> JVM = List.of("-Xms256m", "-Xmx1g");
    static final int WINDOW = 4_096;
    /**
     * Warm-up before the window. The JSON path is deep (spring-messaging, Jackson) and, at the few
     * thousand messages a second it runs interpreted, the JIT takes long to reach it: with 3 s the
     * window measured the interpreter (about a tenth of the warmed-up rate).
     */
    static final double MIN_WARMUP_SECONDS = 15;

    /** The payload: about 80 bytes of JSON. */
    public record Quote(String symbol, long priceMicros, int size, long sequence) {
    }

    private static final String NAME = "spring_convert";

    static Scenario scenario() {
        return new Scenario(NAME,
                "Spring Boot starter: SnakeMqTemplate.convertAndSend of a small record (JSON, Jackson 3) into a "
                        + "typed @SnakeListener (msg/s); baseline the same template and listener path with byte[]",
                new SpringConversionScenario()::run);
    }

    private void run(Bench bench) throws Exception {
        double json = rate(bench, "json");
        if (bench.skipBaselines()) {
            bench.note(NAME + ": baseline skipped (--skip-baselines), no RESULT line");
            return;
        }
        double bytes = rate(bench, "bytes");
        bench.add(new Result("spring_convert_json", json, "msg/s", "spring_bytes", bytes, false));
    }

    private double rate(Bench bench, String mode) throws Exception {
        Map<String, Object> args = Map.of("mode", mode, "warmup", bench.warmupOfAtLeast(MIN_WARMUP_SECONDS),
                "seconds", bench.seconds());
        try (Child receiver = Child.start(bench, "spring-recv", JVM, args)) {
            String target = receiver.await("READY", Duration.ofSeconds(120)).get("target");
            try (Child sender = Child.start(bench, "spring-send", JVM, Map.of("mode", mode, "target", target))) {
                Map<String, String> measured = receiver.await("MEASURED", bench.runTimeout());
                double rate = Child.perSecond(measured);
                bench.note(String.format(Locale.ROOT, "%s %s: %.0f msg/s, receiver CPU %.0f ns/msg", NAME, mode,
                        rate, Child.perMessage(measured, "cpuNanos")));
                return rate;
            }
        }
    }

    static void roles(Map<String, BenchMain.RoleMain> roles) {
        roles.put("spring-recv", SpringConversionScenario::receiver);
        roles.put("spring-send", SpringConversionScenario::sender);
    }

    private static ConfigurableApplicationContext start(Class<?> app, String... properties) {
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "spring.main.log-startup-info=false",
                        "logging.level.root=WARN", "management.defaults.metrics.export.enabled=false")
                .properties(properties).run();
    }

    // ---------------------------------------------------------------- receiver

    static final AtomicLong RECEIVED = new AtomicLong();

    private static void receiver(Role role) throws Exception {
        Class<?> app = role.get("mode").equals("json") ? TypedReceiver.class : BytesReceiver.class;
        ConfigurableApplicationContext context = start(app, "snakemq.identity=receiver",
                "snakemq.listeners[0].host=127.0.0.1", "snakemq.listeners[0].port=0");
        int port = context.getBean(Link.class).listenerAddresses().get(0).getPort();
        Role.report("READY", "target", port);
        Role.measure(RECEIVED::get, role.decimal("warmup"), role.decimal("seconds"));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(TypedListener.class)
    static class TypedReceiver {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(BytesListener.class)
    static class BytesReceiver {
    }

    static class TypedListener {
        @SnakeListener
        void on(Quote quote) {
            if (quote.size() >= 0) {
                RECEIVED.incrementAndGet();
            }
        }
    }

    static class BytesListener {
        @SnakeListener
        void on(byte[] data) {
            if (data.length > 0) {
                RECEIVED.incrementAndGet();
            }
        }
    }

    // ---------------------------------------------------------------- sender

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Sender {
    }

    private static void sender(Role role) throws Exception {
        ConfigurableApplicationContext context = start(Sender.class, "snakemq.identity=sender",
                "snakemq.connectors[0].host=127.0.0.1", "snakemq.connectors[0].port=" + role.get("target"),
                "snakemq.connectors[0].reconnect-interval=100ms");
        Messaging messaging = context.getBean(Messaging.class);
        if (!Role.await(() -> messaging.isConnected("receiver"), Duration.ofSeconds(60))) {
            throw new IllegalStateException("not connected to the receiver within 60 s");
        }
        SnakeMqTemplate template = context.getBean(SnakeMqTemplate.class);
        boolean json = role.get("mode").equals("json");
        byte[] jsonBytes = context.getBean(tools.jackson.databind.json.JsonMapper.class)
                .writeValueAsBytes(new Quote("SNKE", 123_456_789L, 100, 0));
        Semaphore window = new Semaphore(WINDOW);
        for (long i = 0; ; i++) {
            window.acquire();
            Object payload = json ? new Quote("SNKE", 123_456_789L + (i & 1023), 100, i) : jsonBytes;
            template.convertAndSend("receiver", payload).whenComplete((result, error) -> window.release());
        }
    }
}
