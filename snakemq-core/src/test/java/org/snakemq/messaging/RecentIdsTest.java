package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;

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
}
