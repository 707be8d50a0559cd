package org.snakemq.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class LogBudgetTest {

    @Test
    void atMostSoManyLinesPerWindowAndTheNextWindowTellsHowManyWereLeftOut() {
        LogBudget budget = new LogBudget(3, Duration.ofMillis(200));
        assertThat(budget.tryAcquire()).isZero();
        assertThat(budget.tryAcquire()).isZero();
        assertThat(budget.tryAcquire()).isZero();
        for (int i = 0; i < 5; i++) {
            assertThat(budget.tryAcquire()).isEqualTo(-1);
        }
        long[] next = {-1};
        long[] leftOutWhileWaiting = {0};
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            next[0] = budget.tryAcquire();
            if (next[0] < 0) {
                leftOutWhileWaiting[0]++;
            }
            return next[0] >= 0;
        });
        assertThat(next[0]).isEqualTo(5 + leftOutWhileWaiting[0]);
        assertThat(LogBudget.suffix(5)).isEqualTo(" (5 similar lines not logged)");
        assertThat(LogBudget.suffix(0)).isEmpty();
    }

    @Test
    void badBudgetsAreRefused() {
        assertThatThrownBy(() -> new LogBudget(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogBudget(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
