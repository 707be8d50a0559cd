package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.snakemq.testing.LogCapture;

/** Peers share the duplicate-memory budget evenly; a peer that shrinks still remembers its last ids. */
class DuplicateMemoryBudgetTest {

    private static final int CAPACITY = 4096;

    @Test
    void aBudgetThatFitsEveryPeerKeepsTheFullCapacity() {
        DuplicateMemoryBudget budget = new DuplicateMemoryBudget(10L * CAPACITY * DuplicateMemoryBudget.BYTES_PER_ID,
                CAPACITY);
        List<RecentIds> peers = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            RecentIds ids = new RecentIds(budget);
            addSequence(ids, p, 3 * CAPACITY);
            peers.add(ids);
        }
        assertThat(budget.senders()).isEqualTo(10);
        assertThat(peers).allSatisfy(ids -> assertThat(ids.generation()).isEqualTo(CAPACITY));
    }

    @Test
    void peersShareAShortBudgetAndShrinkAtTheirNextRetirementKeepingTheirLastIds() {
        DuplicateMemoryBudget budget = new DuplicateMemoryBudget(2L * CAPACITY * DuplicateMemoryBudget.BYTES_PER_ID,
                CAPACITY);
        RecentIds first = new RecentIds(budget);
        addSequence(first, 0, 3 * CAPACITY);
        assertThat(first.generation()).as("alone, the first peer fits").isEqualTo(CAPACITY);

        for (int p = 1; p < 4; p++) {
            addSequence(new RecentIds(budget), p, 1); // three more peers start sending
        }
        assertThat(first.generation()).as("unchanged until its next retirement").isEqualTo(CAPACITY);
        first.contains(0, 0); // a look-up: the retirement below rebuilds the table too

        addSequence(first, 0, 3 * CAPACITY, 4 * CAPACITY + CAPACITY / 2); // past its next retirement
        int share = CAPACITY / 2;
        assertThat(first.generation()).isEqualTo(share);
        assertThat(first.size()).isLessThanOrEqualTo(2 * share);
        for (long low = 4L * CAPACITY + CAPACITY / 2 - share; low < 4L * CAPACITY + CAPACITY / 2; low++) {
            assertThat(first.contains(0, low)).as("one of the last %d ids: %d", share, low).isTrue();
        }
        assertThat(first.contains(0, 5L * CAPACITY)).as("never added").isFalse();
        assertThat(first.addIfAbsent(0, 4L * CAPACITY + CAPACITY / 2 - 1)).as("the newest id is a duplicate").isFalse();
    }

    @Test
    void noPeerShrinksBelowTheFloorOrGrowsAboveItsCapacity() {
        DuplicateMemoryBudget tiny = new DuplicateMemoryBudget(1, CAPACITY);
        RecentIds ids = new RecentIds(tiny);
        addSequence(ids, 0, 3 * DuplicateMemoryBudget.MIN_GENERATION);
        assertThat(ids.generation()).isEqualTo(DuplicateMemoryBudget.MIN_GENERATION);

        RecentIds small = new RecentIds(new DuplicateMemoryBudget(1, 100));
        addSequence(small, 0, 300);
        assertThat(small.generation()).isEqualTo(100);
        assertThatThrownBy(() -> new DuplicateMemoryBudget(0, CAPACITY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aShortBudgetWarnsOnceEachTimeTheShareHalves() {
        DuplicateMemoryBudget budget = new DuplicateMemoryBudget(CAPACITY * DuplicateMemoryBudget.BYTES_PER_ID,
                CAPACITY);
        try (LogCapture log = new LogCapture("snakemq.messaging")) {
            budget.joined();
            budget.generation(); // one peer: fits, no warning
            assertThat(log.warnings()).isEmpty();
            budget.joined();
            budget.generation();
            budget.generation();
            budget.joined();
            budget.generation();
            assertThat(log.warnings()).hasSize(1);
            assertThat(log.warnings().get(0)).contains("2 sending peers", "at least the last 2048",
                    "duplicateMemoryBudget");
            budget.joined();
            budget.generation(); // 4 peers: 1024, half of the share warned about
            assertThat(log.warnings()).hasSize(2);
        }
    }

    @Test
    void randomTrafficWhileTheShareShrinksNeverForgetsTheLastIdsAndNeverInventsADuplicate() {
        DuplicateMemoryBudget budget = new DuplicateMemoryBudget(2L * 1000 * DuplicateMemoryBudget.BYTES_PER_ID, 1000);
        RecentIds ids = new RecentIds(budget);
        List<long[]> delivered = new ArrayList<>();
        Set<String> everSeen = new HashSet<>();
        Random random = new Random(3);
        int smallest = 1000;
        for (int i = 0; i < 30_000; i++) {
            if (i % 5000 == 4999) {
                addSequence(new RecentIds(budget), i, 1); // another peer joins: the share shrinks
            }
            long high = random.nextInt(4);
            long low = random.nextInt(20_000);
            boolean isNew = random.nextBoolean() ? ids.addIfAbsent(high, low) : !ids.contains(high, low)
                    && addAndTrue(ids, high, low);
            smallest = Math.min(smallest, ids.generation());
            String key = high + ":" + low;
            if (!everSeen.contains(key)) {
                assertThat(isNew).as("step %d: an id never seen is new", i).isTrue();
            }
            for (int back = delivered.size() - 1; back >= Math.max(0, delivered.size() - smallest); back--) {
                long[] id = delivered.get(back);
                if (id[0] == high && id[1] == low) {
                    assertThat(isNew).as("step %d: an id among the last %d is a duplicate", i, smallest).isFalse();
                    break;
                }
            }
            if (isNew) {
                delivered.add(new long[] {high, low});
                everSeen.add(key);
            }
        }
        assertThat(smallest).as("the share shrank during the run").isLessThan(1000)
                .isGreaterThanOrEqualTo(DuplicateMemoryBudget.MIN_GENERATION);
    }

    private static boolean addAndTrue(RecentIds ids, long high, long low) {
        ids.add(high, low);
        return true;
    }

    private static void addSequence(RecentIds ids, long high, int count) {
        addSequence(ids, high, 0, count);
    }

    /** Adds the ids (high, from) to (high, to - 1) as first sends. */
    private static void addSequence(RecentIds ids, long high, long from, long to) {
        for (long low = from; low < to; low++) {
            ids.add(high, low);
        }
    }
}
