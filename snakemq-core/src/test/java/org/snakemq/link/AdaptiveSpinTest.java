package org.snakemq.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.Unpooled;
import io.netty.channel.SelectStrategy;
import org.junit.jupiter.api.Test;

class AdaptiveSpinTest {

    private static final long LIMIT = 400_000;

    @Test
    void startsWithoutPollingAndBlocksWhenIdle() throws Exception {
        AdaptiveSpin spin = new AdaptiveSpin(LIMIT);
        assertThat(spin.windowNanos()).isZero();
        assertThat(spin.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
    }

    @Test
    void returnsReadyKeysAndRunsTasksWithoutBlocking() throws Exception {
        AdaptiveSpin spin = new AdaptiveSpin(LIMIT);
        assertThat(spin.calculateStrategy(() -> 3, false)).isEqualTo(3);
        assertThat(spin.calculateStrategy(() -> 0, true)).isZero();
    }

    @Test
    void shortWaitsGrowTheWindowUpToTheLimit() {
        AdaptiveSpin spin = new AdaptiveSpin(LIMIT);
        spin.adapt(50_000);
        assertThat(spin.windowNanos()).isEqualTo(AdaptiveSpin.GROW_START_NANOS);
        spin.adapt(50_000);
        assertThat(spin.windowNanos()).isEqualTo(2 * AdaptiveSpin.GROW_START_NANOS);
        for (int i = 0; i < 10; i++) {
            spin.adapt(50_000);
        }
        assertThat(spin.windowNanos()).isEqualTo(LIMIT);
    }

    @Test
    void longWaitsShrinkTheWindowToNothing() {
        AdaptiveSpin spin = new AdaptiveSpin(LIMIT);
        for (int i = 0; i < 10; i++) {
            spin.adapt(10_000);
        }
        spin.adapt(LIMIT + 1);
        assertThat(spin.windowNanos()).isEqualTo(LIMIT / 2);
        for (int i = 0; i < 10; i++) {
            spin.adapt(50_000_000);
        }
        assertThat(spin.windowNanos()).isZero();
    }

    @Test
    void pollsInsteadOfBlockingWhileTheWindowIsOpen() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000);
        AdaptiveSpin spin = new AdaptiveSpin(LIMIT, clock::get, () -> clock.addAndGet(1_000)); // a free CPU: yields return at once
        for (int i = 0; i < 10; i++) {
            spin.adapt(10_000);
        }
        // the first idle turn opens the window: poll again rather than block
        assertThat(spin.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);
        // an event found while polling is handled at once
        assertThat(spin.calculateStrategy(() -> 1, false)).isEqualTo(1);
        // once the window (400 µs) has run out, the loop blocks
        int turns = 0;
        int strategy;
        do {
            strategy = spin.calculateStrategy(() -> 0, false);
            turns++;
        } while (strategy == SelectStrategy.CONTINUE && turns < 1_000);
        assertThat(strategy).isEqualTo(SelectStrategy.SELECT);
        assertThat(turns).as("polled for the window, 1 µs a turn").isBetween(400, 402);
        assertThat(spin.windowNanos()).isEqualTo(LIMIT);
    }

    @Test
    void aYieldThatComesBackLateClosesTheWindowAndTheLoopBlocks() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000);
        AtomicLong yieldTakes = new AtomicLong(1_000);
        AdaptiveSpin spin = new AdaptiveSpin(LIMIT, clock::get, () -> clock.addAndGet(yieldTakes.get()));
        for (int i = 0; i < 10; i++) {
            spin.adapt(10_000);
        }
        assertThat(spin.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);
        yieldTakes.set(AdaptiveSpin.CONTENDED_YIELD_NANOS); // another thread had work for this CPU
        assertThat(spin.calculateStrategy(() -> 0, false)).as("blocks at once").isEqualTo(SelectStrategy.SELECT);
        assertThat(spin.windowNanos()).isZero();
        assertThat(spin.paused()).isTrue();
        // woken by traffic soon after: the window stays shut for the pause, however short the gaps
        clock.addAndGet(5_000);
        assertThat(spin.calculateStrategy(() -> 1, false)).isEqualTo(1);
        assertThat(spin.windowNanos()).isZero();
        assertThat(spin.calculateStrategy(() -> 0, false)).as("blocks during the pause").isEqualTo(SelectStrategy.SELECT);
        // after the pause, the rule opens the window again, from its first size
        clock.addAndGet(AdaptiveSpin.FIRST_PAUSE_NANOS);
        assertThat(spin.calculateStrategy(() -> 1, false)).isEqualTo(1);
        assertThat(spin.paused()).isFalse();
        assertThat(spin.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
        clock.addAndGet(5_000);
        assertThat(spin.calculateStrategy(() -> 1, false)).isEqualTo(1);
        assertThat(spin.windowNanos()).isEqualTo(AdaptiveSpin.GROW_START_NANOS);
        yieldTakes.set(AdaptiveSpin.CONTENDED_YIELD_NANOS - 1);
        assertThat(spin.calculateStrategy(() -> 0, false)).as("a yield just in time keeps polling")
                .isEqualTo(SelectStrategy.CONTINUE);
    }

    @Test
    void lateYieldsInARowPauseLongerAndCaughtGapsShortenThePauseAgain() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000);
        AtomicLong yieldTakes = new AtomicLong(AdaptiveSpin.CONTENDED_YIELD_NANOS);
        AdaptiveSpin spin = new AdaptiveSpin(LIMIT, clock::get, () -> clock.addAndGet(yieldTakes.get()));
        long expectedPause = AdaptiveSpin.FIRST_PAUSE_NANOS;
        for (int round = 0; round < 12; round++) {
            openWindow(spin, clock);
            assertThat(spin.calculateStrategy(() -> 0, false)).as("the yield comes back late")
                    .isEqualTo(SelectStrategy.SELECT);
            assertThat(pause(spin, clock)).as("pause of round %d", round).isEqualTo(expectedPause);
            expectedPause = Math.min(AdaptiveSpin.MAX_PAUSE_NANOS, expectedPause * 2);
        }
        assertThat(expectedPause).isEqualTo(AdaptiveSpin.MAX_PAUSE_NANOS);
        // a free CPU again: every gap that polling catches halves the next pause, down to the first
        yieldTakes.set(1_000);
        openWindow(spin, clock);
        for (int i = 0; i < 20; i++) {
            assertThat(spin.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);
            assertThat(spin.calculateStrategy(() -> 1, false)).isEqualTo(1);
        }
        yieldTakes.set(AdaptiveSpin.CONTENDED_YIELD_NANOS);
        assertThat(spin.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(pause(spin, clock)).isEqualTo(AdaptiveSpin.FIRST_PAUSE_NANOS);
    }

    /** Blocks, and a short gap later traffic arrives: the window opens at its first size. */
    private static void openWindow(AdaptiveSpin spin, AtomicLong clock) throws Exception {
        assertThat(spin.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
        clock.addAndGet(5_000);
        assertThat(spin.calculateStrategy(() -> 1, false)).isEqualTo(1);
        assertThat(spin.windowNanos()).isEqualTo(AdaptiveSpin.GROW_START_NANOS);
    }

    /** After a late yield: traffic every millisecond until the pause is over; returns how long it held. */
    private static long pause(AdaptiveSpin spin, AtomicLong clock) throws Exception {
        assertThat(spin.paused()).isTrue();
        long shutAt = clock.get();
        int steps = 0;
        do {
            clock.addAndGet(1_000_000);
            spin.calculateStrategy(() -> 1, false);
            assertThat(spin.windowNanos()).as("shut while paused").isZero();
        } while (spin.paused() && ++steps < 2_000);
        return clock.get() - shutAt;
    }

    @Test
    void aLimitMustBePositive() {
        assertThatThrownBy(() -> new AdaptiveSpin(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkOptions.defaults().withSpinLimit(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spinLimit");
        assertThatThrownBy(() -> LinkOptions.defaults().withSpinLimit(Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sparseTrafficGetsNoPolling() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        LinkOptions options = LinkOptions.defaults().withReconnectInterval(Duration.ofMillis(100));
        try (Link server = new Link(options); Link client = new Link(options)) {
            AtomicLong serverThread = new AtomicLong();
            AtomicLong received = new AtomicLong();
            server.onReceive().add((c, data) -> {
                serverThread.set(Thread.currentThread().getId());
                received.incrementAndGet();
            });
            client.onConnect().add(c -> client.schedule(new Runnable() {
                @Override
                public void run() {
                    // one small packet every 2 ms: each gap is four times the 500 µs limit
                    client.send(c, Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII), null);
                    client.schedule(this, Duration.ofMillis(2));
                }
            }, Duration.ofMillis(2)));
            client.addConnector(server.addListener(new InetSocketAddress("127.0.0.1", 0)));
            server.start();
            client.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.get() > 50);
            long cpuBefore = threads.getThreadCpuTime(serverThread.get());
            long packetsBefore = received.get();
            long wallBefore = System.nanoTime();
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
            long cpu = threads.getThreadCpuTime(serverThread.get()) - cpuBefore;
            long wall = System.nanoTime() - wallBefore;
            long packets = received.get() - packetsBefore;
            assertThat(packets).as("packets received in the measured second").isGreaterThan(50);
            // polling the full limit after each packet would cost 500 µs per packet; handling one
            // costs a small fraction of that
            assertThat(cpu / packets).as("loop CPU ns per packet, %d packets in %d ms", packets, wall / 1_000_000)
                    .isLessThan(250_000);
        }
    }

    @Test
    void linksWithAndWithoutPollingExchangeBytes() {
        for (Duration limit : List.of(Duration.ZERO, Duration.ofMillis(1))) {
            LinkOptions options = LinkOptions.defaults().withSpinLimit(limit).withReconnectInterval(Duration.ofMillis(100));
            try (Link server = new Link(options); Link client = new Link(options)) {
                List<String> got = new CopyOnWriteArrayList<>();
                server.onReceive().add((c, data) -> {
                    got.add(data.toString(StandardCharsets.US_ASCII));
                    server.send(c, Unpooled.copiedBuffer("pong", StandardCharsets.US_ASCII), null);
                });
                List<String> replies = new CopyOnWriteArrayList<>();
                client.onReceive().add((c, data) -> replies.add(data.toString(StandardCharsets.US_ASCII)));
                client.onConnect().add(c -> client.send(c, Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII), null));
                client.addConnector(server.addListener(new InetSocketAddress("127.0.0.1", 0)));
                server.start();
                client.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> String.join("", replies).equals("pong"));
                assertThat(String.join("", got)).as("spin limit %s", limit).isEqualTo("ping");
            }
        }
    }
}
