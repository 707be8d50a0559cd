package org.snakemq.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.snakemq.message.Headers;
import org.snakemq.message.MessageIds;

/** Dead letters and inbox records, in memory, in SQLite and (where a server is set up) in PostgreSQL. */
class DeliveryStoreTest {

    @TempDir
    Path dir;

    private <S extends InboxStore & DeadLetterStore> S open(String kind, int perSender) {
        @SuppressWarnings("unchecked")
        S store = (S) switch (kind) {
            case "memory" -> new MemoryDeliveryStore(perSender);
            case "sqlite" -> SqlDeliveryStore.sqlite(dir.resolve("d.db"), perSender, java.time.Duration.ofDays(1));
            case "postgres" -> {
                PostgresTestDatabase.requireUrl();
                yield SqlDeliveryStore.jdbc(PostgresTestDatabase.dataSource(), perSender, java.time.Duration.ofDays(1));
            }
            default -> throw new IllegalArgumentException(kind);
        };
        return store;
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgres"})
    <S extends InboxStore & DeadLetterStore> void deadLettersAreStoredListedFoundAndDeleted(String kind) {
        S store = open(kind, 100);
        try {
            long before = store.count();
            UUID id = MessageIds.random();
            DeadLetter added = store.add(new DeadLetter(0, "alice", id, new byte[] {1, 2, 3}, 1,
                    "java.lang.IllegalStateException", "broken", 3, Instant.ofEpochMilli(1_700_000_000_000L)));
            assertThat(added.id()).isPositive();
            assertThat(store.count()).isEqualTo(before + 1);
            DeadLetter found = store.get(added.id()).orElseThrow();
            assertThat(found.sender()).isEqualTo("alice");
            assertThat(found.uuid()).isEqualTo(id);
            assertThat(found.data()).containsExactly(1, 2, 3);
            assertThat(found.flags()).isEqualTo(1);
            assertThat(found.errorClass()).isEqualTo("java.lang.IllegalStateException");
            assertThat(found.errorMessage()).isEqualTo("broken");
            assertThat(found.attempts()).isEqualTo(3);
            assertThat(found.failedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
            assertThat(store.list(10_000)).extracting(DeadLetter::id).contains(added.id());
            assertThat(store.delete(added.id())).isTrue();
            assertThat(store.delete(added.id())).isFalse();
            assertThat(store.get(added.id())).isEmpty();
        } finally {
            store.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgres"})
    <S extends InboxStore & DeadLetterStore> void deadLettersKeepTheirHeaders(String kind) {
        S store = open(kind, 100);
        try {
            Headers headers = Headers.of("content-type", "application/json").with("\u017elu\u0165", "");
            DeadLetter with = store.add(new DeadLetter(0, "alice", MessageIds.random(), new byte[] {1}, 0,
                    "E", "m", 1, Instant.ofEpochMilli(1), headers));
            DeadLetter without = store.add(new DeadLetter(0, "alice", MessageIds.random(), new byte[] {2}, 0,
                    "E", "m", 1, Instant.ofEpochMilli(2)));
            assertThat(store.get(with.id()).orElseThrow().headers()).isEqualTo(headers);
            assertThat(store.get(without.id()).orElseThrow().headers()).isEqualTo(Headers.EMPTY);
            assertThat(store.list(10_000)).filteredOn(l -> l.id() == with.id()).singleElement()
                    .satisfies(l -> assertThat(l.headers().asMap()).containsEntry("content-type", "application/json"));
            store.delete(with.id());
            store.delete(without.id());
        } finally {
            store.close();
        }
    }

    @org.junit.jupiter.api.Test
    void aDeadLetterTableMadeBeforeHeadersGainsTheColumnAndKeepsItsLetters() throws Exception {
        Path file = dir.resolve("old.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE snakemq_dead_letters (id INTEGER PRIMARY KEY, sender VARCHAR(200) NOT NULL,"
                    + " uuid CHAR(36) NOT NULL, data BLOB NOT NULL, flags INTEGER NOT NULL,"
                    + " error_class VARCHAR(500) NOT NULL, error_message TEXT NOT NULL, attempts INTEGER NOT NULL,"
                    + " failed_at BIGINT NOT NULL)");
            st.executeUpdate("INSERT INTO snakemq_dead_letters (sender, uuid, data, flags, error_class, error_message,"
                    + " attempts, failed_at) VALUES ('alice', '00112233-4455-6677-8899-aabbccddeeff', X'01', 0, 'E', '', 1, 5)");
        }
        try (SqlDeliveryStore store = SqlDeliveryStore.sqlite(file)) {
            assertThat(store.list(10)).singleElement().satisfies(l -> {
                assertThat(l.sender()).isEqualTo("alice");
                assertThat(l.headers()).isEqualTo(Headers.EMPTY);
            });
            DeadLetter added = store.add(new DeadLetter(0, "bob", MessageIds.random(), new byte[] {2}, 0, "E", "", 1,
                    Instant.ofEpochMilli(6), Headers.of("k", "v")));
            assertThat(store.get(added.id()).orElseThrow().headers()).isEqualTo(Headers.of("k", "v"));
        }
        // opening again finds the column in place
        try (SqlDeliveryStore store = SqlDeliveryStore.sqlite(file)) {
            assertThat(store.count()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "postgres"})
    <S extends InboxStore & DeadLetterStore> void inboxRecordsAreKeptPerSenderUpToTheRetention(String kind)
            throws Exception {
        S store = open(kind, 8);
        String sender = "s" + System.nanoTime();
        List<UUID> ids = IntStream.range(0, 20).mapToObj(i -> MessageIds.random()).toList();
        try {
            CompletableFuture<?>[] records = ids.stream().map(id -> store.record(sender, id))
                    .toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(records).get(30, TimeUnit.SECONDS);
            store.record("other" + sender, ids.get(0)).get(30, TimeUnit.SECONDS);
        } finally {
            store.close();
        }
        S reopened = kind.equals("memory") ? store : open(kind, 8);
        try {
            Map<String, List<UUID>> loaded = reopened.loadCompleted(8);
            assertThat(loaded.get(sender)).as("the newest 8, oldest first").containsExactlyElementsOf(ids.subList(12, 20));
            assertThat(loaded.get("other" + sender)).containsExactly(ids.get(0));
            assertThat(reopened.loadCompleted(3).get(sender)).containsExactlyElementsOf(ids.subList(17, 20));
        } finally {
            reopened.close();
        }
    }
}
