package org.snakemq.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process killed with SIGKILL while pushing loses none of the pushes that had returned. */
class SqliteCrashTest {

    @TempDir
    Path dir;

    @Test
    void everyPushThatReturnedSurvivesSigkill() throws Exception {
        Path file = dir.resolve("queues.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PushUntilKilled.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Map<Long, UUID> acknowledged = new HashMap<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while (acknowledged.size() < 3000 && System.nanoTime() < deadline && (line = lines.readLine()) != null) {
                String[] parts = line.split(" ");
                acknowledged.put(Long.parseLong(parts[0]), UUID.fromString(parts[1]));
            }
            // kill(1) rather than destroyForcibly(), which would also close our end of its stdout
            Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).inheritIO().start();
            assertThat(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -KILL").isTrue();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // lines written before the kill count as acknowledged too: read them to the end
            while ((line = lines.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts.length == 2 && parts[1].length() == 36) {
                    acknowledged.put(Long.parseLong(parts[0]), UUID.fromString(parts[1]));
                }
            }
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(3000);

        try (SqliteQueuesStorage storage = new SqliteQueuesStorage(file)) {
            Map<Long, UUID> stored = new HashMap<>();
            for (StoredMessage row : storage.loadAll()) {
                stored.put(row.key(), row.message().uuid());
            }
            assertThat(stored).containsAllEntriesOf(acknowledged);
        }
    }
}
