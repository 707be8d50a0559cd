package org.snakemq.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.snakemq.link.Connection;
import org.snakemq.link.FakeTransport;
import org.snakemq.link.TestConnections;

/** The throttle's bookkeeping against a fake transport: pieces, listeners, writability, read pausing. */
class ThrottleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeTransport link = new FakeTransport();

    @AfterEach
    void closeLink() {
        link.close();
    }

    static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + i / 256);
        }
        return bytes;
    }

    static byte[] concat(List<FakeTransport.Sent> sent) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        sent.forEach(s -> all.writeBytes(s.bytes()));
        return all.toByteArray();
    }

    @Test
    void largeBufferGoesOutInBoundedPiecesAndItsListenerFiresAfterTheLastPiece() {
        Throttle throttle = new Throttle(link, 100_000);
        assertThat(throttle.chunkSize()).isEqualTo(5_000);
        Connection c = TestConnections.create(1);
        link.connect(c);
        List<Boolean> outcome = new CopyOnWriteArrayList<>();
        byte[] data = pattern(20_000);
        throttle.send(c, Unpooled.wrappedBuffer(data), outcome::add); // from a foreign thread: hops to the loop

        await().atMost(WAIT).until(() -> link.sentBytes() == data.length);
        assertThat(link.sent).hasSize(4).allSatisfy(s -> assertThat(s.bytes()).hasSize(5_000));
        assertThat(concat(link.sent)).isEqualTo(data);
        assertThat(link.sent.subList(0, 3)).allSatisfy(s -> assertThat(s.listener()).isNull());
        assertThat(link.sent.get(3).listener()).isNotNull();

        assertThat(outcome).isEmpty(); // pieces were handed over, the last one is not written yet
        link.complete(3, true);
        assertThat(outcome).containsExactly(true);
    }

    @Test
    void isWritableReflectsTheBacklogAndReadyToSendFiresWhenItDrains() {
        Throttle throttle = new Throttle(link, 100_000); // high water 25,000 B, low 12,500 B
        Connection c = TestConnections.create(1);
        AtomicInteger ready = new AtomicInteger();
        List<Long> sentAtReady = new CopyOnWriteArrayList<>();
        throttle.onReadyToSend().add(conn -> {
            ready.incrementAndGet();
            sentAtReady.add((long) link.sentBytes());
        });
        link.connect(c);
        assertThat(throttle.isWritable(c)).isTrue();
        link.run(() -> throttle.send(c, Unpooled.wrappedBuffer(pattern(40_000)), null));
        assertThat(throttle.isWritable(c)).isFalse();

        await().atMost(WAIT).until(() -> ready.get() == 1);
        assertThat(throttle.isWritable(c)).isTrue();
        assertThat(sentAtReady.get(0)).isGreaterThanOrEqualTo(40_000 - 12_500);
        await().atMost(WAIT).until(() -> link.sentBytes() == 40_000);
        assertThat(ready.get()).isEqualTo(1);
    }

    @Test
    void pausesWhileTheLinkIsNotWritableAndResumesOnItsReadyToSend() {
        Throttle throttle = new Throttle(link, 1_000_000);
        Connection c = TestConnections.create(1);
        link.connect(c);
        link.writable = false;
        link.run(() -> throttle.send(c, Unpooled.wrappedBuffer(pattern(1_000)), null));
        assertThat(throttle.isWritable(c)).isFalse();
        assertThat(link.sent).isEmpty();
        AtomicInteger ready = new AtomicInteger();
        throttle.onReadyToSend().add(conn -> ready.incrementAndGet());
        link.becomeWritable(c);
        assertThat(link.sentBytes()).isEqualTo(1_000);
        assertThat(ready.get()).isEqualTo(1);
        assertThat(throttle.isWritable(c)).isTrue();
    }

    @Test
    void unsentDataFailsItsListenerAndIsReleasedOnDisconnect() {
        Throttle throttle = new Throttle(link, 10_000);
        Connection c = TestConnections.create(1);
        List<Boolean> outcome = new CopyOnWriteArrayList<>();
        List<Connection> disconnects = new CopyOnWriteArrayList<>();
        throttle.onDisconnect().add(disconnects::add);
        List<Boolean> outcomeAtDisconnect = new CopyOnWriteArrayList<>();
        throttle.onDisconnect().add(conn -> outcomeAtDisconnect.addAll(outcome));
        link.connect(c);
        ByteBuf data = Unpooled.wrappedBuffer(pattern(50_000));
        link.run(() -> throttle.send(c, data, outcome::add));
        link.drop(c);
        assertThat(outcome).containsExactly(false);
        assertThat(outcomeAtDisconnect).containsExactly(false); // told before the disconnect, as a link does
        assertThat(disconnects).containsExactly(c);
        assertThat(data.refCnt()).isZero();
    }

    @Test
    void receivedBytesArePassedUpAtTheRateWhileReadsArePaused() {
        Throttle throttle = new Throttle(link, Throttle.UNLIMITED, 10_000); // 512 B pieces
        Connection c = TestConnections.create(1);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        List<Integer> pieces = new CopyOnWriteArrayList<>();
        throttle.onReceive().add((conn, data) -> {
            pieces.add(data.readableBytes());
            byte[] bytes = new byte[data.readableBytes()];
            data.readBytes(bytes);
            synchronized (got) {
                got.writeBytes(bytes);
            }
        });
        link.connect(c);
        byte[] data = pattern(3_000);
        link.receive(c, data);
        assertThat(link.readPaused).isTrue(); // held back most of it, so the socket must wait
        synchronized (got) {
            assertThat(got.size()).isLessThan(data.length);
        }
        await().atMost(WAIT).until(() -> {
            synchronized (got) {
                return got.size() == data.length;
            }
        });
        synchronized (got) {
            assertThat(got.toByteArray()).isEqualTo(data);
        }
        assertThat(pieces).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(512));
        await().atMost(WAIT).until(() -> !link.readPaused);
    }

    /** Counts the bytes {@code throttle} passes up from now on. */
    private static AtomicInteger receivedBytes(Throttle throttle) {
        AtomicInteger received = new AtomicInteger();
        throttle.onReceive().add((conn, data) -> received.addAndGet(data.readableBytes()));
        return received;
    }

    @Test
    void heldBackBytesArePassedUpBeforeTheDisconnect() {
        Throttle throttle = new Throttle(link, 1_000);
        Connection c = TestConnections.create(1);
        AtomicInteger received = receivedBytes(throttle);
        List<Integer> receivedAtDisconnect = new CopyOnWriteArrayList<>();
        throttle.onDisconnect().add(conn -> receivedAtDisconnect.add(received.get()));
        link.connect(c);
        link.receive(c, pattern(10_000));
        assertThat(received.get()).isLessThan(10_000);
        link.drop(c);
        assertThat(receivedAtDisconnect).containsExactly(10_000);
    }

    @Test
    void readPauseOfTheLayerAboveHoldsDeliveryUntilResumed() {
        Throttle throttle = new Throttle(link, 1_000_000);
        Connection c = TestConnections.create(1);
        AtomicInteger received = receivedBytes(throttle);
        link.connect(c);
        link.run(() -> throttle.setReadPaused(c, true));
        assertThat(link.readPaused).isTrue();
        link.receive(c, pattern(100)); // bytes already on their way when reads were paused
        assertThat(received.get()).isZero();
        assertThat(link.readPaused).isTrue();
        link.run(() -> throttle.setReadPaused(c, false));
        assertThat(received.get()).isEqualTo(100);
        assertThat(link.readPaused).isFalse();
    }

    @Test
    void forwardsConnectionEventsAndSharesTheLoop() {
        Throttle throttle = new Throttle(link, 10_000);
        List<String> events = new CopyOnWriteArrayList<>();
        throttle.onConnect().add(conn -> events.add("connect " + conn.id()));
        throttle.onDisconnect().add(conn -> events.add("disconnect " + conn.id()));
        Connection c = TestConnections.create(7);
        link.connect(c);
        link.drop(c);
        assertThat(events).containsExactly("connect 7", "disconnect 7");
        assertThat(throttle.onLoopPass()).isSameAs(link.onLoopPass());
        assertThat(throttle.allocator()).isSameAs(link.allocator());
        assertThat(throttle.transport()).isSameAs(link);
        assertThatThrownBy(() -> new Throttle(link, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
