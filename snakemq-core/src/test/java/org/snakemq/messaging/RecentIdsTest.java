package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RecentIdsTest {

    @Test
    void remembersExactlyTheLastCapacityIdsAcrossGrowthAndEviction() {
        int capacity = 3000; // grows 1024 -> 2048 -> 3000, then evicts
        RecentIds ids = new RecentIds(capacity);
        ArrayDeque<long[]> model = new ArrayDeque<>();
        Set<String> modelSet = new HashSet<>();
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            // few distinct high halves and colliding low halves make hash clusters likely
            long high = random.nextInt(8);
            long low = random.nextInt(50_000);
            boolean known = modelSet.contains(high + ":" + low);
            assertThat(ids.contains(high, low)).as("step %d", i).isEqualTo(known);
            if (!known) {
                ids.add(high, low);
                model.addLast(new long[] {high, low});
                modelSet.add(high + ":" + low);
                if (model.size() > capacity) {
                    long[] oldest = model.removeFirst();
                    modelSet.remove(oldest[0] + ":" + oldest[1]);
                }
            }
            assertThat(ids.size()).isEqualTo(model.size());
        }
        for (long[] id : model) {
            assertThat(ids.contains(id[0], id[1])).isTrue();
        }
    }

    @Test
    void addIfAbsentAgreesWithAModelAcrossGrowthAndEviction() {
        int capacity = 2500;
        RecentIds ids = new RecentIds(capacity);
        ArrayDeque<String> model = new ArrayDeque<>();
        Set<String> modelSet = new HashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 30_000; i++) {
            long high = random.nextInt(4);
            long low = random.nextInt(20_000);
            String key = high + ":" + low;
            boolean isNew = !modelSet.contains(key);
            assertThat(ids.addIfAbsent(high, low)).as("step %d", i).isEqualTo(isNew);
            if (isNew) {
                model.addLast(key);
                modelSet.add(key);
                if (model.size() > capacity) {
                    modelSet.remove(model.removeFirst());
                }
            }
            assertThat(ids.size()).isEqualTo(model.size());
        }
    }

    @Test
    void forgetsTheOldestIdOnceFull() {
        RecentIds ids = new RecentIds(2);
        ids.add(1, 1);
        ids.add(2, 2);
        ids.add(3, 3);

        assertThat(ids.contains(1, 1)).isFalse();
        assertThat(ids.contains(2, 2)).isTrue();
        assertThat(ids.contains(3, 3)).isTrue();
        assertThat(ids.size()).isEqualTo(2);
    }
}
