package org.snakemq.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.snakemq.message.Headers;
import org.snakemq.message.Message;
import org.snakemq.storage.DeadLetter;
import org.snakemq.storage.MemoryDeliveryStore;
import org.snakemq.storage.SqlDeliveryStore;
import org.snakemq.testing.Closer;
import org.snakemq.testing.LogCapture;
import org.snakemq.testing.Recorded;
import org.snakemq.testing.TestPeer;

/** Delivery into the application between two peers of this project: acknowledged once handled. */
class DeliveriesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final RetryPolicy FAST_RETRY = new RetryPolicy(3, Duration.ofMillis(10), 2.0, Duration.ofMillis(50));

    @RegisterExtension
    final Closer closer = new Closer();
    private final Recorded<String> handled = new Recorded<>();
    /** What {@link #aliceAndBob} attached to bob. */
    private Deliveries bobsDeliveries;

    /** Bob receives with deliveries built by the builder; alice connects to him. */
    private TestPeer[] aliceAndBob(Deliveries.Builder builder) {
        TestPeer bob = closer.add(new TestPeer("bob"));
        bobsDeliveries = closer.add(builder.attachTo(bob.messaging));
        InetSocketAddress address = bob.listen();
        bob.start();
        TestPeer alice = closer.add(new TestPeer("alice")).connectTo(address).start();
        await().atMost(WAIT).until(() -> alice.messaging.isConnected("bob"));
        return new TestPeer[] {alice, bob};
    }

    private static Message text(String text) {
        return Message.of(text);
    }

    @Test
    void theSenderGetsItsAcknowledgementOnlyOnceTheHandlerReturned() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestPeer alice = aliceAndBob(Deliveries.builder().handler(d -> {
            entered.countDown();
            release.await();
            handled.add(d.message().text());
        }))[0];
        alice.messaging.send("bob", text("hello"));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        // the handler holds the message: the sender must still count it as unconfirmed
        assertThat(alice.sent).isEmpty();
        assertThat(alice.messaging.queueSize("bob")).isEqualTo(1);
        release.countDown();
        await().atMost(WAIT).until(() -> alice.sent.size() == 1);
        assertThat(handled).containsExactly("hello");
        assertThat(alice.messaging.queueSize("bob")).isZero();
    }

    @Test
    void aFailedMessageIsRetriedWithBackOffAndThenCompleted() {
        AtomicInteger calls = new AtomicInteger();
        Recorded<Integer> attempts = new Recorded<>();
        TestPeer alice = aliceAndBob(Deliveries.builder().retry(FAST_RETRY).handler(d -> {
            attempts.add(d.attempt());
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            handled.add(d.message().text());
        }))[0];
        alice.messaging.send("bob", text("try me"));
        await().atMost(WAIT).until(() -> alice.sent.size() == 1);
        assertThat(attempts).containsExactly(1, 2, 3);
        assertThat(handled).containsExactly("try me");
    }

    @Test
    void aMessageThatFailsEveryAttemptBecomesADeadLetterIsLoggedOnceAndIsAcknowledged() {
        MemoryDeliveryStore store = new MemoryDeliveryStore();
        try (LogCapture log = new LogCapture("snakemq.delivery")) {
            TestPeer[] peers = aliceAndBob(Deliveries.builder().retry(FAST_RETRY).deadLetters(store).handler(d -> {
                throw new IllegalArgumentException("bad order " + d.message().text());
            }));
            Message message = text("order-17").persistent();
            peers[0].messaging.send("bob", message);
            await().atMost(WAIT).until(() -> peers[0].sent.size() == 1);
            List<DeadLetter> letters = store.list(10);
            assertThat(letters).hasSize(1);
            DeadLetter letter = letters.get(0);
            assertThat(letter.sender()).isEqualTo("alice");
            assertThat(letter.uuid()).isEqualTo(message.uuid());
            assertThat(new String(letter.data())).isEqualTo("order-17");
            assertThat(letter.flags()).isEqualTo(Message.FLAG_PERSISTENT);
            assertThat(letter.errorClass()).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(letter.errorMessage()).isEqualTo("bad order order-17");
            assertThat(letter.attempts()).isEqualTo(3);
            assertThat(log.warnings()).filteredOn(w -> w.contains(message.uuid().toString())).hasSize(1);
        }
    }

    @Test
    void aSendersMessagesAreHandledInOrderAndARetryHoldsBackTheOnesAfterIt() {
        AtomicInteger failuresLeft = new AtomicInteger(2);
        TestPeer alice = aliceAndBob(Deliveries.builder().retry(FAST_RETRY).handler(d -> {
            String text = d.message().text();
            handled.add(text + "#" + d.attempt());
            if (text.equals("m3") && failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("m3 fails twice");
            }
        }))[0];
        for (int i = 0; i < 10; i++) {
            alice.messaging.send("bob", text("m" + i));
        }
        await().atMost(WAIT).until(() -> alice.sent.size() == 10);
        assertThat(handled).containsExactly("m0#1", "m1#1", "m2#1", "m3#1", "m3#2", "m3#3", "m4#1", "m5#1", "m6#1",
                "m7#1", "m8#1", "m9#1");
    }

    @Test
    void differentSendersAreHandledInParallel() {
        CountDownLatch release = new CountDownLatch(1);
        TestPeer[] peers = aliceAndBob(Deliveries.builder().threads(2).handler(d -> {
            if (d.sender().equals("alice")) {
                release.await();
            }
            handled.add(d.sender() + ":" + d.message().text());
        }));
        TestPeer carol = closer.add(new TestPeer("carol"))
                .connectTo(peers[1].link.listenerAddresses().get(0)).start();
        peers[0].messaging.send("bob", text("slow"));
        for (int i = 0; i < 5; i++) {
            carol.messaging.send("bob", text("c" + i));
        }
        await().atMost(WAIT).until(() -> carol.sent.size() == 5);
        assertThat(handled).containsExactly("carol:c0", "carol:c1", "carol:c2", "carol:c3", "carol:c4");
        assertThat(peers[0].sent).isEmpty();
        release.countDown();
        await().atMost(WAIT).until(() -> peers[0].sent.size() == 1);
    }

    @Test
    void aSlowHandlerPushesBackOnTheSenderInsteadOfQueueingEverything() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger count = new AtomicInteger();
        TestPeer[] peers = aliceAndBob(Deliveries.builder().maxPending(4, 100).handler(d -> {
            release.await();
            count.incrementAndGet();
        }));
        TestPeer alice = peers[0];
        Deliveries deliveries = bobsDeliveries;
        byte[] data = new byte[64 * 1024];
        int total = 300;
        for (int i = 0; i < total; i++) {
            alice.messaging.send("bob", Message.of(data));
        }
        await().atMost(WAIT).until(() -> deliveries.pending() >= 4);
        // reading stopped: what is pending is the bound plus what one read had buffered already
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> deliveries.pending() <= 4 + 8);
        assertThat(alice.messaging.queueSize("bob")).as("the rest waits at the sender").isGreaterThan(total / 2);
        release.countDown();
        await().atMost(WAIT).until(() -> alice.sent.size() == total);
        assertThat(count.get()).isEqualTo(total);
    }

    /**
     * With room for one message, every message pauses reading and every completion must resume it:
     * a handler that frees the room while the loop is still deciding to pause must not leave the
     * connection paused with nothing left to complete.
     */
    @Test
    void aFullGateAlwaysResumesReadingWhenHandlersFreeTheRoom() {
        AtomicInteger count = new AtomicInteger();
        TestPeer alice = aliceAndBob(Deliveries.builder().maxPending(1, 1).handler(d -> count.incrementAndGet()))[0];
        int total = 20_000;
        for (int i = 0; i < total; i++) {
            alice.messaging.send("bob", Message.of(new byte[] {(byte) i}));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> alice.sent.size() == total);
        assertThat(count.get()).isEqualTo(total);
    }

    @Test
    void anAsyncHandlerCompletesTheDeliveryWhenItsStageCompletes() throws Exception {
        CompletableFuture<Void> later = new CompletableFuture<>();
        Recorded<String> started = new Recorded<>();
        TestPeer alice = aliceAndBob(Deliveries.builder().asyncHandler(d -> {
            started.add(d.message().text());
            return d.message().text().equals("first") ? later : CompletableFuture.completedFuture(null);
        }))[0];
        alice.messaging.send("bob", text("first"));
        alice.messaging.send("bob", text("second"));
        await().atMost(WAIT).until(() -> started.size() == 1);
        assertThat(alice.sent).isEmpty();
        assertThat(started).as("the next waits for the first to complete").containsExactly("first");
        new Thread(() -> later.complete(null)).start();
        await().atMost(WAIT).until(() -> alice.sent.size() == 2);
        assertThat(started).containsExactly("first", "second");
    }

    @Test
    void anAsyncFailureIsRetriedLikeAThrownOne() {
        AtomicInteger calls = new AtomicInteger();
        TestPeer alice = aliceAndBob(Deliveries.builder().retry(FAST_RETRY).asyncHandler(d ->
                calls.incrementAndGet() == 1 ? CompletableFuture.failedFuture(new RuntimeException("once"))
                        : CompletableFuture.completedFuture(null)))[0];
        alice.messaging.send("bob", text("x"));
        await().atMost(WAIT).until(() -> alice.sent.size() == 1);
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void aDeadLetterCanBeReplayedAndIsThenDeletedOrKeptWhenItFailsAgain() throws Exception {
        MemoryDeliveryStore store = new MemoryDeliveryStore();
        AtomicInteger mode = new AtomicInteger(); // 0 fail, 1 succeed
        TestPeer[] peers = aliceAndBob(Deliveries.builder().retry(RetryPolicy.noRetry()).deadLetters(store).handler(d -> {
            if (mode.get() == 0) {
                throw new IllegalStateException("down");
            }
            handled.add(d.message().text());
        }));
        Deliveries deliveries = bobsDeliveries;
        peers[0].messaging.send("bob", text("later"));
        await().atMost(WAIT).until(() -> store.count() == 1);
        long id = deliveries.listDeadLetters(10).get(0).id();
        assertThatThrownBy(() -> deliveries.replay(id).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasRootCauseMessage("down");
        assertThat(store.count()).as("kept after a failed replay").isEqualTo(1);
        mode.set(1);
        deliveries.replay(id).get(30, TimeUnit.SECONDS);
        assertThat(handled).containsExactly("later");
        assertThat(store.count()).isZero();
        assertThat(deliveries.deleteDeadLetter(id)).isFalse();
        assertThatThrownBy(() -> deliveries.replay(999).get(30, TimeUnit.SECONDS)).hasRootCauseMessage("no dead letter #999");
    }

    @Test
    void aDeadLetterKeepsTheHeadersInTheDatabaseAndItsReplayHasThem(@TempDir Path dir) throws Exception {
        SqlDeliveryStore store = closer.add(SqlDeliveryStore.sqlite(dir.resolve("deliveries.db")));
        AtomicInteger mode = new AtomicInteger(); // 0 fail, 1 succeed
        Recorded<Headers> seen = new Recorded<>();
        TestPeer[] peers = aliceAndBob(Deliveries.builder().retry(RetryPolicy.noRetry()).deadLetters(store).handler(d -> {
            seen.add(d.message().headers());
            if (mode.get() == 0) {
                throw new IllegalStateException("down");
            }
        }));
        Deliveries deliveries = bobsDeliveries;
        Headers headers = Headers.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .with("content-type", "application/json");
        peers[0].messaging.send("bob", text("{}").withHeaders(headers));
        await().atMost(WAIT).until(() -> store.count() == 1);
        DeadLetter letter = deliveries.listDeadLetters(10).get(0);
        assertThat(letter.headers()).isEqualTo(headers);
        mode.set(1);
        deliveries.replay(letter.id()).get(30, TimeUnit.SECONDS);
        assertThat(seen).containsExactly(headers, headers);
        assertThat(store.count()).isZero();
    }

    @Test
    void aRecovererThatFailsKeepsTheMessageAndIsAskedAgain() {
        AtomicInteger recoveries = new AtomicInteger();
        TestPeer alice = aliceAndBob(Deliveries.builder()
                .retry(new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO))
                .recoverer((d, failure) -> {
                    if (recoveries.incrementAndGet() == 1) {
                        throw new IllegalStateException("dead-letter store down");
                    }
                })
                .handler(d -> {
                    throw new IllegalStateException("always");
                }))[0];
        alice.messaging.send("bob", text("precious"));
        await().atMost(WAIT).until(() -> alice.sent.size() == 1);
        assertThat(recoveries.get()).isEqualTo(2);
    }

    @Test
    void messagesTheSkipPredicateMatchesAreAcknowledgedWithoutTheHandler() {
        TestPeer alice = aliceAndBob(Deliveries.builder()
                .skip((sender, m) -> m.text().startsWith("rpc"))
                .handler(d -> handled.add(d.message().text())))[0];
        alice.messaging.send("bob", text("rpcreq..."));
        alice.messaging.send("bob", text("mine"));
        await().atMost(WAIT).until(() -> alice.sent.size() == 2);
        assertThat(handled).containsExactly("mine");
    }
}
