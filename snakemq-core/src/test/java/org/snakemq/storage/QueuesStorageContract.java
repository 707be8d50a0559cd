package org.snakemq.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.snakemq.message.Message;

/**
 * The behaviour every {@link QueuesStorage} shares. A subclass opens storages on one store; {@link
 * #reopen()} closes the current one and opens the store again, as a restarted peer does.
 */
abstract class QueuesStorageContract {

    private QueuesStorage storage;

    /** Opens a storage on this test's store (the same store every time within a test). */
    protected abstract QueuesStorage open();

    protected final QueuesStorage storage() {
        if (storage == null) {
            storage = open();
        }
        return storage;
    }

    protected final QueuesStorage reopen() {
        if (storage != null) {
            storage.close();
        }
        storage = open();
        return storage;
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) {
            storage.close();
            storage = null;
        }
    }

    static Message message(String text) {
        return Message.of(text).persistent();
    }

    static List<String> texts(List<StoredMessage> rows) {
        return rows.stream().map(row -> row.message().text()).toList();
    }

    @Test
    void loadsInPushOrderPerQueueAndAcrossQueues() {
        QueuesStorage s = storage();
        s.push("alice", message("a1"));
        s.push("bob", message("b1"));
        s.push("alice", message("a2"));
        s.push("bob", message("b2"));
        s.push("alice", message("a3"));

        List<StoredMessage> rows = reopen().loadAll();

        assertThat(texts(rows)).containsExactly("a1", "b1", "a2", "b2", "a3");
        assertThat(rows).extracting(StoredMessage::queue).containsExactly("alice", "bob", "alice", "bob", "alice");
        assertThat(rows).extracting(StoredMessage::key).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void loadedKeysAreThoseThatPushReturned() {
        long k1 = storage().push("alice", message("one"));
        long k2 = storage().push("alice", message("two"));

        assertThat(reopen().loadAll()).extracting(StoredMessage::key).containsExactly(k1, k2);
    }

    @Test
    void deleteRemovesOnlyThatMessage() {
        QueuesStorage s = storage();
        long k1 = s.push("alice", message("one"));
        long k2 = s.push("alice", message("two"));
        long k3 = s.push("bob", message("three"));

        s.delete(k2);
        s.flush();
        assertThat(texts(s.loadAll())).containsExactly("one", "three");
        assertThat(reopen().loadAll()).extracting(StoredMessage::key).containsExactly(k1, k3);
    }

    @Test
    void deletesQueuedBeforeCloseAreApplied() {
        QueuesStorage s = storage();
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(s.push("alice", message("m" + i)));
        }
        for (int i = 0; i < 100; i += 2) {
            s.delete(keys.get(i));
        }

        List<StoredMessage> rows = reopen().loadAll();

        assertThat(rows).hasSize(50);
        assertThat(rows).extracting(StoredMessage::key).allMatch(key -> keys.indexOf(key) % 2 == 1);
    }

    @Test
    void deletingAnUnknownKeyIsHarmless() {
        long key = storage().push("alice", message("kept"));
        storage().delete(key + 1000);
        storage().flush();

        assertThat(reopen().loadAll()).extracting(StoredMessage::key).containsExactly(key);
    }

    @Test
    void updateTtlsRecordsFiniteAndInfiniteTtls() {
        QueuesStorage s = storage();
        long infiniteToFinite = s.push("alice", message("a").withTtl(null));
        long finiteToInfinite = s.push("alice", message("b").withTtl(Duration.ofSeconds(60)));
        long finiteToFinite = s.push("alice", message("c").withTtl(Duration.ofSeconds(60)));
        long untouched = s.push("alice", message("d").withTtl(Duration.ofMillis(1500)));

        s.updateTtls(List.of(
                new QueuesStorage.TtlUpdate(infiniteToFinite, Duration.ofMillis(2500)),
                new QueuesStorage.TtlUpdate(finiteToInfinite, null),
                new QueuesStorage.TtlUpdate(finiteToFinite, Duration.ZERO)));

        List<StoredMessage> rows = reopen().loadAll();
        assertThat(rows).extracting(StoredMessage::key)
                .containsExactly(infiniteToFinite, finiteToInfinite, finiteToFinite, untouched);
        assertThat(rows).extracting(row -> row.message().ttl())
                .containsExactly(Duration.ofMillis(2500), null, Duration.ZERO, Duration.ofMillis(1500));
    }

    @Test
    void laterTtlUpdateWins() {
        long key = storage().push("alice", message("a").withTtl(Duration.ofSeconds(10)));
        storage().updateTtls(List.of(new QueuesStorage.TtlUpdate(key, Duration.ofSeconds(8))));
        storage().updateTtls(List.of(new QueuesStorage.TtlUpdate(key, Duration.ofSeconds(5))));

        assertThat(reopen().loadAll()).singleElement()
                .satisfies(row -> assertThat(row.message().ttl()).isEqualTo(Duration.ofSeconds(5)));
    }

    @Test
    void pushAllStoresABatchInOrder() {
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            batch.add(message("m" + i));
        }
        storage().push("bob", message("before"));
        long[] keys = storage().pushAll("alice", batch);
        storage().push("bob", message("after"));

        assertThat(keys).hasSize(2500).isSorted().doesNotHaveDuplicates();
        List<StoredMessage> rows = reopen().loadAll();
        assertThat(rows).hasSize(2502);
        assertThat(rows.subList(1, 2501)).extracting(StoredMessage::key)
                .containsExactly(java.util.Arrays.stream(keys).boxed().toArray(Long[]::new));
        assertThat(rows.subList(1, 2501)).extracting(StoredMessage::message).containsExactlyElementsOf(batch);
        assertThat(texts(rows).get(0)).isEqualTo("before");
        assertThat(texts(rows).get(2501)).isEqualTo("after");
    }

    @Test
    void pushAsyncFromOneThreadKeepsOrderAndCompletesWithTheKeys() {
        List<java.util.concurrent.CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            futures.add(storage().pushAsync("alice", message("m" + i)));
        }
        List<Long> keys = futures.stream().map(java.util.concurrent.CompletableFuture::join).toList();

        assertThat(keys).isSorted().doesNotHaveDuplicates();
        List<StoredMessage> rows = reopen().loadAll();
        assertThat(rows).extracting(StoredMessage::key).containsExactlyElementsOf(keys);
        assertThat(texts(rows)).startsWith("m0", "m1", "m2").endsWith("m2999");
    }

    @Test
    void pushAllOfNothingStoresNothing() {
        assertThat(storage().pushAll("alice", List.of())).isEmpty();
        assertThat(reopen().loadAll()).isEmpty();
    }

    @Test
    void concurrentPushersLoseNothing() throws Exception {
        int threads = 8;
        int perThread = 2000;
        QueuesStorage s = storage();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String queue = "peer" + t;
                results.add(pool.submit(() -> {
                    List<Long> keys = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        keys.add(s.push(queue, message(queue + ":" + i)));
                    }
                    return keys;
                }));
            }
            Set<Long> allKeys = new HashSet<>();
            for (Future<List<Long>> result : results) {
                allKeys.addAll(result.get(120, TimeUnit.SECONDS));
            }
            assertThat(allKeys).hasSize(threads * perThread);

            List<StoredMessage> rows = reopen().loadAll();
            assertThat(rows).hasSize(threads * perThread);
            assertThat(rows).extracting(StoredMessage::key).containsExactlyInAnyOrderElementsOf(allKeys);
            for (int t = 0; t < threads; t++) {
                String queue = "peer" + t;
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    expected.add(queue + ":" + i);
                }
                assertThat(texts(rows.stream().filter(row -> row.queue().equals(queue)).toList()))
                        .as("FIFO order of %s", queue)
                        .containsExactlyElementsOf(expected);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void reopenKeepsDataAndNeverReusesKeys() {
        QueuesStorage s = storage();
        long k1 = s.push("alice", message("one"));
        long k2 = s.push("alice", message("two"));
        s.delete(k2);

        QueuesStorage reopened = reopen();
        assertThat(reopened.loadAll()).extracting(StoredMessage::key).containsExactly(k1);
        long k3 = reopened.push("alice", message("three"));
        assertThat(k3).isGreaterThan(k1);

        assertThat(texts(reopen().loadAll())).containsExactly("one", "three");
    }

    @Test
    void flagsDataUuidAndTtlRoundTripExactly() {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < allBytes.length; i++) {
            allBytes[i] = (byte) i;
        }
        byte[] large = new byte[1 << 20];
        new java.util.Random(42).nextBytes(large);
        List<Message> messages = List.of(
                new Message(UUID.randomUUID(), allBytes, null, Message.FLAG_PERSISTENT),
                new Message(UUID.randomUUID(), new byte[0], Duration.ofMillis(1234), 0),
                new Message(new UUID(0, 0), large, Duration.ofSeconds(86_400), 0x7fff_ffff),
                new Message(new UUID(-1, -1), "x".getBytes(), Duration.ofNanos(1_000_000), -1),
                new Message(UUID.randomUUID(), "ünïcødé".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        Duration.ofSeconds(3, 5_000_000), 0x2 | Message.FLAG_PERSISTENT));
        for (Message m : messages) {
            storage().push("queue with spaces and ünïcødé", m);
        }

        List<StoredMessage> rows = reopen().loadAll();

        assertThat(rows).extracting(StoredMessage::message).containsExactlyElementsOf(messages);
        assertThat(rows).extracting(StoredMessage::queue).containsOnly("queue with spaces and ünïcødé");
    }

    @Test
    void headersRoundTripAcrossAReopenAndMessagesWithoutThemStayWithout() {
        java.util.Map<String, String> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i < org.snakemq.message.Headers.MAX_COUNT; i++) {
            many.put("h" + i, "v\u00e9" + i);
        }
        List<Message> messages = List.of(
                message("one").withHeader("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                message("plain"),
                message("many").withHeaders(org.snakemq.message.Headers.of(many)),
                message("big").withHeader("b", "x".repeat(org.snakemq.message.Headers.MAX_ENCODED_BYTES - 5)),
                message("empty value").withHeader("\uD83D\uDC0D", ""));
        for (Message m : messages) {
            storage().push("alice", m);
        }
        List<StoredMessage> rows = reopen().loadAll();
        assertThat(rows).extracting(StoredMessage::message).containsExactlyElementsOf(messages);
        assertThat(rows.get(1).message().headers()).isEqualTo(org.snakemq.message.Headers.EMPTY);
    }

    @Test
    void batchesMixingMessagesWithAndWithoutHeadersKeepEachOnesHeaders() {
        // more rows than one multi-row insert holds, so both insert statements bind headers
        List<Message> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 130; i++) {
            Message m = message("m" + i);
            batch.add(i % 3 == 0 ? m : m.withHeader("i", Integer.toString(i)));
        }
        storage().pushAll("bob", batch);
        storage().updateTtls(List.of(new QueuesStorage.TtlUpdate(storage().loadAll().get(1).key(), Duration.ofSeconds(9))));
        List<StoredMessage> rows = reopen().loadAll();
        assertThat(rows).hasSize(130);
        for (int i = 0; i < 130; i++) {
            assertThat(rows.get(i).message().headers().get("i")).as("row %d", i)
                    .isEqualTo(i % 3 == 0 ? null : Integer.toString(i));
        }
        assertThat(rows.get(1).message().ttl()).isEqualTo(Duration.ofSeconds(9));
        assertThat(rows.get(1).message().headers().get("i")).isEqualTo("1");
    }
}
