package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class CompletedSequencesTest {

    @Test
    void theBaseMovesOnlyOverContiguousCompletions() {
        CompletedSequences done = new CompletedSequences();
        for (long s = 1; s <= 4; s++) {
            done.received(s, 100 + s, 200 + s);
        }
        assertThat(done.complete(2)).isFalse();
        assertThat(done.complete(4)).isFalse();
        assertThat(done.base()).isZero();
        assertThat(done.complete(1)).isTrue();
        assertThat(done.base()).isEqualTo(2);
        assertThat(done.baseHigh()).isEqualTo(102);
        assertThat(done.baseLow()).isEqualTo(202);
        assertThat(done.complete(3)).isTrue();
        assertThat(done.base()).isEqualTo(4);
        assertThat(done.baseHigh()).isEqualTo(104);
        assertThat(done.complete(3)).as("a repeat below the base changes nothing").isFalse();
    }

    @Test
    void shuffledCompletionsOfManyMoreMessagesThanTheFirstRingHoldEndAtTheLast() {
        CompletedSequences done = new CompletedSequences();
        int n = 10_000;
        List<Long> order = new ArrayList<>();
        for (long s = 1; s <= n; s++) {
            done.received(s, s, -s);
            order.add(s);
        }
        Collections.shuffle(order, new Random(7));
        long lastBase = 0;
        for (long s : order) {
            done.complete(s);
            assertThat(done.base()).isGreaterThanOrEqualTo(lastBase);
            lastBase = done.base();
        }
        assertThat(done.base()).isEqualTo(n);
        assertThat(done.baseHigh()).isEqualTo(n);
        assertThat(done.baseLow()).isEqualTo(-n);
    }
}
