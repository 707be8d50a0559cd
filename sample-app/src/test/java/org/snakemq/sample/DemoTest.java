package org.snakemq.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.snakemq.sample.Journal.Entry;
import org.snakemq.sample.Journal.Kind;

/**
 * Runs the whole demo in this JVM (HTTP on a free port, no pauses between steps) and checks what it
 * promises: messages both ways, the persistent message delivered after the restarts, the RPC results
 * and the signal, and bob's actuator serving health and the snakemq meters over HTTP.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void demoRunsEveryStepAndServesTheActuator(@TempDir Path dataDir, CapturedOutput output) throws Exception {
        Demo demo = new Demo("--server.port=0", "--demo.pace=0", "--demo.exit-after=300", "--demo.timeout=30",
                "--sample.data-dir=" + dataDir);
        CompletableFuture<Void> finished = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                demo.run();
                finished.complete(null);
            } catch (Throwable e) {
                finished.completeExceptionally(e);
            }
        }, "demo");
        runner.start();
        String health;
        String metrics;
        String received;
        try {
            await().atMost(WAIT).until(() -> finished.isDone() || isReady(demo));
            assertThat(finished).as("the demo ended before it was ready").isNotDone();
            int port = demo.httpPort();
            assertThat(port).isPositive();

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            health = get(http, port, "/actuator/health");
            metrics = get(http, port, "/actuator/metrics");
            received = get(http, port, "/actuator/metrics/snakemq.messages.received");
            assertThat(output).contains("http://localhost:" + port + "/actuator/health");
        } finally {
            demo.stop();
            try {
                finished.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("the demo failed", e.getCause());
            }
        }

        assertThat(health).contains("\"status\":\"UP\"").contains("\"snakeMq\"");
        assertThat(metrics).contains("\"snakemq.messages.received\"", "\"snakemq.messages.sent\"",
                "\"snakemq.connections\"", "\"snakemq.queue.depth\"", "\"snakemq.rpc.client.calls\"");
        assertThat(received).contains("\"name\":\"snakemq.messages.received\"", "\"statistic\":\"COUNT\"");

        List<Entry> journal = demo.journal().entries();
        // messages both ways
        assertThat(journal).anyMatch(e -> is(e, "bob", Kind.RECEIVED, "alice") && e.text().equals(Demo.HELLO_BOB));
        assertThat(journal).anyMatch(e -> is(e, "alice", Kind.RECEIVED, "bob") && e.text().equals(Demo.HELLO_ALICE));
        // RPC results and the signal
        assertThat(journal).anyMatch(e -> is(e, "bob", Kind.RPC_RESULT, "alice") && e.text().equals("add(2, 3) = 5"));
        assertThat(journal).anyMatch(e -> is(e, "bob", Kind.RPC_RESULT, "alice") && e.text().startsWith("now = 20"));
        assertThat(journal).anyMatch(e -> is(e, "alice", Kind.SIGNAL, "bob") && e.text().equals("ping bob"));
        // the persistent message: sent while alice was away, received exactly once, after she came back
        long aliceLeft = first(journal, e -> is(e, "bob", Kind.DISCONNECTED, "alice")).seq();
        long sent = first(journal, e -> is(e, "bob", Kind.SENT, "alice") && e.text().equals(Demo.WHILE_AWAY)).seq();
        List<Entry> deliveries = journal.stream()
                .filter(e -> is(e, "alice", Kind.RECEIVED, "bob") && e.text().equals(Demo.WHILE_AWAY)).toList();
        assertThat(deliveries).hasSize(1);
        long aliceBack = journal.stream().filter(e -> is(e, "alice", Kind.CONNECTED, "bob") && e.seq() > sent)
                .findFirst().orElseThrow(() -> new AssertionError("alice did not reconnect")).seq();
        assertThat(aliceLeft).isLessThan(sent);
        assertThat(deliveries.get(0).seq()).isGreaterThan(aliceBack);
        assertThat(output).contains("received from bob: \"" + Demo.WHILE_AWAY + "\" (persistent)")
                .contains("message(s) for alice loaded from SQLite");

        runner.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(runner.isAlive()).isFalse();
    }

    private static boolean isReady(Demo demo) {
        return demo.journal().entries().stream().anyMatch(e -> e.kind() == Kind.STEP && e.text().equals("ready"));
    }

    private static boolean is(Entry entry, String peer, Kind kind, String other) {
        return entry.peer().equals(peer) && entry.kind() == kind && entry.other().equals(other);
    }

    private static Entry first(List<Entry> journal, java.util.function.Predicate<Entry> condition) {
        return journal.stream().filter(condition).findFirst().orElseThrow(() -> new AssertionError("no such entry"));
    }

    private static String get(HttpClient http, int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
