package org.snakemq.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.packeter.Packeter;

/**
 * Heap per queued 100-byte transient message, 1,000,000 of them queued for a peer that never comes,
 * measured after full collections in a child JVM. Baseline: the payload itself (100 bytes), so the
 * ratio payload/heap is at most 1 and higher is better.
 */
final class QueuedMemoryScenario implements Scenario {

    private static final int SIZE = 100;

    @Override
    public String name() {
        return "queued_memory";
    }

    @Override
    public String description() {
        return "heap bytes per queued 100-byte transient message, 1,000,000 queued to an absent peer;"
                + " baseline the payload";
    }

    @Override
    public void run(Bench bench) throws Exception {
        int count = bench.quick() ? 50_000 : 1_000_000;
        try (Child child = Child.start(bench, "queue-holder", List.of("-Xms1g", "-Xmx2g"),
                Map.of("count", count, "size", SIZE))) {
            Map<String, String> m = child.await("MEASURED", Duration.ofSeconds(300));
            long before = Long.parseLong(m.get("before"));
            long after = Long.parseLong(m.get("after"));
            double perMessage = (after - before) / (double) count;
            bench.note(String.format(Locale.ROOT, "queued_memory: %d messages, heap %.1f MB -> %.1f MB after GC,"
                    + " %.1f s to queue", count, before / 1e6, after / 1e6, Long.parseLong(m.get("nanos")) / 1e9));
            bench.add(new Result("queued_memory", perMessage, "B/msg", "payload", SIZE, true));
        }
    }

    static void roles(Map<String, BenchMain.RoleMain> roles) {
        roles.put("queue-holder", QueuedMemoryScenario::holder);
    }

    private static void holder(Role role) throws Exception {
        int count = role.integer("count");
        int size = role.integer("size");
        Link link = new Link();
        Messaging messaging = new Messaging("holder", "", new Packeter(link));
        link.start();
        long before = Role.settledHeap();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[size];
            data[0] = (byte) i;
            messaging.send("absent", Message.of(data));
        }
        if (!Role.await(() -> messaging.queueSize("absent") == count, Duration.ofSeconds(120))) {
            throw new IllegalStateException("queue holds " + messaging.queueSize("absent") + " of " + count);
        }
        long nanos = System.nanoTime() - start;
        long after = Role.settledHeap();
        if (messaging.queueSize("absent") != count) {
            throw new IllegalStateException("messages left the queue");
        }
        Role.report("MEASURED", "before", before, "after", after, "nanos", nanos);
        link.close();
    }
}
