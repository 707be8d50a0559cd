package org.snakemq.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The back-off rule and one connector's schedule, driven by given times and random values (no clock). */
class ReconnectBackoffTest {

    private static final Duration THREE_S = Duration.ofSeconds(3);

    @Test
    void defaultBackoffFromTheLinkDefaultStartsAtThreeSecondsDoublesAndStopsAtThirty() {
        ReconnectBackoff backoff = ReconnectBackoff.startingAt(LinkOptions.defaults().reconnectInterval());

        assertThat(backoff.initial()).isEqualTo(THREE_S);
        assertThat(backoff.max()).isEqualTo(Duration.ofSeconds(30));
        List<Duration> lowest = List.of(backoff.delay(0, 0), backoff.delay(1, 0), backoff.delay(2, 0),
                backoff.delay(3, 0), backoff.delay(4, 0), backoff.delay(40, 0));
        assertThat(lowest).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(6), Duration.ofSeconds(12),
                Duration.ofSeconds(24), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    @Test
    void jitterLengthensAWaitByUpToItsFractionButNeverPastTheMax() {
        ReconnectBackoff backoff = ReconnectBackoff.startingAt(THREE_S);

        assertThat(backoff.delay(0, 0.5)).isEqualTo(Duration.ofMillis(3300));
        assertThat(backoff.delay(0, 0.999_999)).isBetween(Duration.ofMillis(3599), Duration.ofMillis(3600));
        assertThat(backoff.delay(1, 0.5)).isEqualTo(Duration.ofMillis(6600));
        assertThat(backoff.delay(3, 0.5)).isEqualTo(Duration.ofMillis(26_400));
        assertThat(backoff.delay(4, 0.5)).isEqualTo(Duration.ofSeconds(30)); // base 30 s (48 capped), jitter capped too
        assertThat(backoff.delay(1000, 0.9)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void noWaitIsShorterThanTheInitialNorLongerThanTheMaxForAnyRetryOrRandomValue() {
        SplittableRandom random = new SplittableRandom(17);
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(250), 1.7, Duration.ofSeconds(7), 1.0);
        for (int i = 0; i < 10_000; i++) {
            Duration delay = backoff.delay(random.nextInt(200), random.nextDouble());
            assertThat(delay).isBetween(Duration.ofMillis(250), Duration.ofSeconds(7));
        }
    }

    @Test
    void fixedIsTheIntervalEveryTime() {
        ReconnectBackoff fixed = ReconnectBackoff.fixed(Duration.ofMillis(200));

        assertThat(fixed.delay(0, 0.9)).isEqualTo(Duration.ofMillis(200));
        assertThat(fixed.delay(25, 0.1)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ZERO, 2, THREE_S, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReconnectBackoff(THREE_S, 0.5, THREE_S, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReconnectBackoff(THREE_S, Double.NaN, THREE_S, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReconnectBackoff(THREE_S, 2, Duration.ofSeconds(2), 0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReconnectBackoff(THREE_S, 2, THREE_S, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReconnectBackoff.startingAt(THREE_S).withJitter(-0.1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failedAttemptsInARowLengthenTheWait() {
        ReconnectSchedule schedule = new ReconnectSchedule(ReconnectBackoff.startingAt(THREE_S), randoms(0, 0, 0, 0.5));

        assertThat(schedule.nextDelay(0)).isEqualTo(Duration.ofSeconds(3));
        assertThat(schedule.nextDelay(seconds(3))).isEqualTo(Duration.ofSeconds(6));
        assertThat(schedule.nextDelay(seconds(9))).isEqualTo(Duration.ofSeconds(12));
        assertThat(schedule.nextDelay(seconds(21))).isEqualTo(Duration.ofMillis(26_400));
        assertThat(schedule.retries()).isEqualTo(4);
    }

    @Test
    void aConnectionThatLastedTheInitialWaitStartsTheBackoffAgain() {
        ReconnectSchedule schedule = afterAFirstFailure();
        schedule.nextDelay(seconds(3));
        schedule.connected(seconds(9));

        assertThat(schedule.nextDelay(seconds(12))).as("up for exactly the initial wait").isEqualTo(THREE_S);
        assertThat(schedule.retries()).isEqualTo(1);
    }

    @Test
    void aConnectionClosedAtOnceKeepsTheBackoffGrowing() {
        ReconnectSchedule schedule = afterAFirstFailure();
        schedule.connected(seconds(3));
        assertThat(schedule.nextDelay(seconds(3) + 5_000_000)).as("accepted and closed 5 ms later")
                .isEqualTo(Duration.ofSeconds(6));
        schedule.connected(seconds(9));
        assertThat(schedule.nextDelay(seconds(12) - 1)).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void aLastingConnectionCountsOnlyOnceItsBreakIsSeen() {
        ReconnectSchedule schedule = new ReconnectSchedule(ReconnectBackoff.startingAt(THREE_S), randoms(0, 0, 0));
        schedule.connected(0);
        assertThat(schedule.nextDelay(seconds(60))).isEqualTo(THREE_S);
        // the failed attempt after that break is not a lasting connection: the wait grows
        assertThat(schedule.nextDelay(seconds(63))).isEqualTo(Duration.ofSeconds(6));
    }

    private static long seconds(long s) {
        return s * 1_000_000_000L;
    }

    /** A schedule from three seconds without jitter, once its first attempt failed. */
    private static ReconnectSchedule afterAFirstFailure() {
        ReconnectSchedule schedule = new ReconnectSchedule(ReconnectBackoff.startingAt(THREE_S), randoms(0, 0, 0, 0));
        schedule.nextDelay(0);
        return schedule;
    }

    private static java.util.function.DoubleSupplier randoms(double... values) {
        Deque<Double> queue = new ArrayDeque<>();
        for (double v : values) {
            queue.add(v);
        }
        return () -> {
            assertThat(queue).as("random values left").isNotEmpty();
            return queue.poll();
        };
    }
}
