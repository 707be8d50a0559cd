package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RecentIdsTest {

    @Test
    void neverReportsARecentIdAsNewAndNeverForgetsWithinCapacity() {
        int capacity = 3000;
        RecentIds ids = new RecentIds(capacity);
        List<long[]> delivered = new ArrayList<>();
        Set<String> everSeen = new HashSet<>();
        Random random = new Random(42);
        for (int i = 0; i < 40_000; i++) {
            // few distinct high halves and colliding low halves make hash clusters and repeats likely
            long high = random.nextInt(8);
            long low = random.nextInt(60_000);
            String key = high + ":" + low;
            boolean recent = false;
            for (int back = delivered.size() - 1; back >= Math.max(0, delivered.size() - capacity); back--) {
                long[] id = delivered.get(back);
                if (id[0] == high && id[1] == low) {
                    recent = true;
                    break;
                }
            }
            boolean isNew = ids.addIfAbsent(high, low);
            if (recent) {
                assertThat(isNew).as("step %d: an id among the last %d is a duplicate", i, capacity).isFalse();
            }
            if (!everSeen.contains(key)) {
                assertThat(isNew).as("step %d: an id never seen is new", i).isTrue();
            }
            if (isNew) {
                delivered.add(new long[] {high, low});
                everSeen.add(key);
            }
            assertThat(ids.size()).isLessThanOrEqualTo(2 * capacity);
        }
        int last = delivered.size();
        for (long[] id : delivered.subList(last - capacity, last)) {
            assertThat(ids.contains(id[0], id[1])).isTrue();
        }
    }

    @Test
    void firstSendsMixedWithLookUpsNeverForgetWithinCapacityAndNeverInventADuplicate() {
        int capacity = 500;
        RecentIds ids = new RecentIds(capacity);
        List<long[]> delivered = new ArrayList<>();
        Random random = new Random(7);
        long next = 0;
        for (int round = 0; round < 60; round++) {
            // a run of first sends (no table needed), then a run that may repeat recent ids
            int firstSends = random.nextInt(3 * capacity);
            for (int i = 0; i < firstSends; i++) {
                long[] id = {next % 5, next++};
                ids.add(id[0], id[1]);
                delivered.add(id);
            }
            int checks = random.nextInt(200);
            for (int i = 0; i < checks; i++) {
                int back = Math.min(delivered.size(), capacity);
                boolean repeat = back > 0 && random.nextBoolean();
                long[] id = repeat ? delivered.get(delivered.size() - 1 - random.nextInt(back)) : new long[] {7, next++};
                boolean isNew = ids.addIfAbsent(id[0], id[1]);
                assertThat(isNew).as("round %d: %s id", round, repeat ? "a recent" : "a never seen").isEqualTo(!repeat);
                if (isNew) {
                    delivered.add(id);
                }
            }
            assertThat(ids.size()).isLessThanOrEqualTo(2 * capacity);
        }
        int last = delivered.size();
        for (long[] id : delivered.subList(last - capacity, last)) {
            assertThat(ids.contains(id[0], id[1])).isTrue();
        }
        assertThat(ids.contains(9, -1)).isFalse();
    }

    @Test
    void firstSendsNeedNoTableTheFirstLookUpBuildsItAndAGenerationWithoutLookUpsDropsIt() {
        RecentIds ids = new RecentIds(10);
        for (int i = 0; i < 15; i++) {
            ids.add(1, i);
        }
        assertThat(ids.indexed()).as("only first sends so far").isFalse();
        assertThat(ids.contains(1, 14)).isTrue();
        assertThat(ids.indexed()).as("built by the look-up").isTrue();
        assertThat(ids.contains(1, 5)).as("the previous generation is in it too").isTrue();
        assertThat(ids.contains(1, 15)).isFalse();
        for (int i = 15; i < 21; i++) {
            ids.add(1, i); // the generation of 10..19 retires at 20: it was looked up in, so the table stays
        }
        assertThat(ids.indexed()).isTrue();
        assertThat(ids.addIfAbsent(1, 20)).as("added while the table was kept").isFalse();
        for (int i = 21; i < 41; i++) {
            ids.add(1, i); // 20..29 retire at 30 (one look-up: kept), 30..39 at 40 without one: dropped
        }
        assertThat(ids.indexed()).as("a whole generation without a look-up").isFalse();
        for (int i = 30; i < 41; i++) {
            assertThat(ids.contains(1, i)).as("id %d", i).isTrue();
        }
        assertThat(ids.contains(1, 29)).as("older than twice the capacity").isFalse();
    }

    @Test
    void forgetsOldIdsOnlyAfterAtLeastCapacityNewerOnes() {
        RecentIds ids = new RecentIds(2);
        assertThat(ids.addIfAbsent(1, 1)).isTrue();
        assertThat(ids.addIfAbsent(2, 2)).isTrue();
        assertThat(ids.addIfAbsent(3, 3)).isTrue();
        assertThat(ids.contains(2, 2)).isTrue();
        assertThat(ids.contains(3, 3)).isTrue();
        assertThat(ids.addIfAbsent(4, 4)).isTrue();
        assertThat(ids.addIfAbsent(5, 5)).isTrue();
        assertThat(ids.contains(1, 1)).as("older than twice the capacity").isFalse();
        assertThat(ids.contains(4, 4)).isTrue();
        assertThat(ids.contains(5, 5)).isTrue();
    }

    @Test
    void theAllZeroIdIsRememberedToo() {
        RecentIds ids = new RecentIds(4);
        assertThat(ids.addIfAbsent(0, 0)).isTrue();
        assertThat(ids.addIfAbsent(0, 0)).isFalse();
        assertThat(ids.contains(0, 0)).isTrue();
    }

    @Test
    void holdsNoTableUntilTheFirstIdThenGrowsFourfoldUpToTheCapacity() {
        RecentIds ids = new RecentIds(16_384);
        assertThat(ids.room()).as("an idle peer").isZero();
        assertThat(ids.contains(7, 7)).isFalse();
        assertThat(ids.size()).isZero();
        assertThat(ids.addIfAbsent(7, 7)).isTrue();
        assertThat(ids.room()).isEqualTo(16);
        for (int i = 0; i < 15; i++) {
            ids.add(100 + i, i);
        }
        assertThat(ids.room()).as("full, not grown before the next id").isEqualTo(16);
        ids.add(99, 99);
        assertThat(ids.room()).isEqualTo(64);
        for (int i = 0; i < 40_000; i++) {
            ids.add(1_000 + i, -i);
            assertThat(ids.room()).isLessThanOrEqualTo(16_384);
        }
        assertThat(ids.room()).isEqualTo(16_384);
    }

    @Test
    void aRetirementKeepsExactlyTheGenerationThatStays() {
        // 5 is no power of two: the room grows 16 -> clamped to 5, the table covers 10 positions
        RecentIds ids = new RecentIds(5);
        for (int i = 0; i < 5; i++) {
            assertThat(ids.addIfAbsent(i, i)).isTrue();
        }
        assertThat(ids.room()).isEqualTo(5);
        assertThat(ids.addIfAbsent(5, 5)).as("retires 0..4").isTrue();
        assertThat(ids.size()).isEqualTo(6);
        for (int i = 0; i <= 5; i++) {
            assertThat(ids.contains(i, i)).as("id %d", i).isTrue();
            assertThat(ids.addIfAbsent(i, i)).as("id %d again", i).isFalse();
        }
        for (int i = 6; i < 10; i++) {
            assertThat(ids.addIfAbsent(i, i)).isTrue();
        }
        assertThat(ids.size()).isEqualTo(10);
        assertThat(ids.addIfAbsent(10, 10)).as("retires 5..9, forgets 0..4").isTrue();
        assertThat(ids.size()).isEqualTo(6);
        for (int i = 0; i < 5; i++) {
            assertThat(ids.contains(i, i)).as("forgotten id %d", i).isFalse();
        }
        for (int i = 5; i <= 10; i++) {
            assertThat(ids.contains(i, i)).as("id %d", i).isTrue();
        }
        // the forgotten ids are new again; the current generation (10 at the front of the array) fills up
        for (int i = 0; i < 4; i++) {
            assertThat(ids.addIfAbsent(i, i)).as("forgotten id %d", i).isTrue();
        }
        assertThat(ids.size()).isEqualTo(10);
        for (int i = 0; i < 4; i++) {
            assertThat(ids.contains(i, i)).isTrue();
        }
        assertThat(ids.contains(9, 9)).isTrue();
        assertThat(ids.addIfAbsent(11, 11)).as("retires 10, 0..3, forgets 5..9").isTrue();
        assertThat(ids.size()).isEqualTo(6);
        for (int i = 5; i < 10; i++) {
            assertThat(ids.contains(i, i)).as("forgotten id %d", i).isFalse();
        }
        for (long i : new long[] {10, 0, 1, 2, 3, 11}) {
            assertThat(ids.contains(i, i)).as("id %d", i).isTrue();
        }
    }

    @Test
    void manyRetirementsAlternateTheHalvesWithoutLosingTheLastCapacityIds() {
        int capacity = 1_000;
        RecentIds ids = new RecentIds(capacity);
        for (int i = 0; i < 25 * capacity + 7; i++) {
            assertThat(ids.addIfAbsent(i, 31L * i)).isTrue();
            assertThat(ids.size()).isBetween(Math.min(i + 1, capacity), 2 * capacity);
            if (i % 997 == 0) {
                for (int back = Math.max(0, i - capacity + 1); back <= i; back++) {
                    assertThat(ids.contains(back, 31L * back)).as("id %d at %d", back, i).isTrue();
                }
                if (i >= 2 * capacity) {
                    assertThat(ids.contains(i - 2 * capacity, 31L * (i - 2 * capacity))).isFalse();
                }
            }
        }
    }

    @Test
    void refusesCapacitiesItCannotHold() {
        assertThatThrownBy(() -> new RecentIds(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecentIds(RecentIds.MAX_CAPACITY + 1))
                .isInstanceOf(IllegalArgumentException.class);
        // refused where it is set, not at the first identification
        assertThatThrownBy(() -> MessagingOptions.defaults().withDuplicateMemory(RecentIds.MAX_CAPACITY + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(MessagingOptions.defaults().withDuplicateMemory(RecentIds.MAX_CAPACITY).duplicateMemory())
                .isEqualTo(RecentIds.MAX_CAPACITY);
    }

    @Test
    void growingFromEmptyForgetsNothingOfTheLastCapacityIds() {
        int capacity = 16_384;
        RecentIds ids = new RecentIds(capacity);
        int total = 3 * capacity + 123;
        for (int i = 0; i < total; i++) {
            assertThat(ids.addIfAbsent(i * 0x9E3779B97F4A7C15L, ~i)).as("id %d is new", i).isTrue();
            int back = i - (i * 7919 % Math.min(i + 1, capacity));
            assertThat(ids.addIfAbsent(back * 0x9E3779B97F4A7C15L, ~back)).as("id %d repeated at %d", back, i)
                    .isFalse();
        }
        for (int i = total - capacity; i < total; i++) {
            assertThat(ids.contains(i * 0x9E3779B97F4A7C15L, ~i)).isTrue();
        }
        assertThat(ids.size()).isBetween(capacity, 2 * capacity);
    }

    @Test
    void aCapacityBelowTheFirstTableIsHonoured() {
        RecentIds ids = new RecentIds(1);
        assertThat(ids.addIfAbsent(1, 1)).isTrue();
        assertThat(ids.room()).isEqualTo(1);
        assertThat(ids.addIfAbsent(1, 1)).isFalse();
        assertThat(ids.addIfAbsent(2, 2)).isTrue();
        assertThat(ids.contains(1, 1)).as("the previous generation").isTrue();
        assertThat(ids.addIfAbsent(3, 3)).isTrue();
        assertThat(ids.contains(1, 1)).isFalse();
        assertThat(ids.contains(2, 2)).isTrue();
        // a second RecentIds is not disturbed by the first one's retirements
        RecentIds other = new RecentIds(1);
        assertThat(other.contains(1, 1)).isFalse();
        assertThat(other.contains(2, 2)).isFalse();
        assertThat(other.size()).isZero();
    }
}
