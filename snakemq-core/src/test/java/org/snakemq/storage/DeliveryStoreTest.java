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
