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
final class QueuedMemoryScenario {

    private static final int SIZE = 100;
    /** What a queue adds to the payload of a packed message: the id's halves and the flags. */
    private static final int PACKED_HEADER = 20;

    void run(Bench bench) throws Exception {
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
            double arrays = Long.parseLong(m.get("arrays")) / (double) count;
            long envelope = Long.parseLong(m.get("envelope"));
            int packed = Integer.parseInt(m.get("packedLength"));
            bench.note(String.format(Locale.ROOT, "queued_memory is made of: one %d-byte array per message with its"
                            + " deque slot %.1f B (measured alone: 16-byte array header, %d bytes = the id, the flags"
                            + " and the %d-byte payload as a queue packs them for an absent peer, padding to 8, a"
                            + " 4-byte slot), the rest %.1f B (queue growth slack, per-destination state); goal 150"
                            + " B/msg. A stored message or one with a TTL waits as an Envelope (%d B: 12-byte header"
                            + " + fields %s) beside its payload array instead", packed, arrays, packed, SIZE,
                    perMessage - arrays, envelope, m.get("envelopeFields")));
        }
    }

    static Scenario scenario() {
        return new Scenario("queued_memory",
                "heap bytes per queued 100-byte transient message, 1,000,000 queued to an absent peer;"
                        + " baseline the payload",
                new QueuedMemoryScenario()::run);
    }

    /**
     * The shallow size of an instance of a class on this JVM (compressed class pointers and oops, the
     * 64-bit default below 32 GB of heap): a 12-byte header, then the fields, rounded up to 8 bytes.
     * The fields are packed widest first, so the sum is what the object takes.
     */
    static long shallowSize(String className) {
        long bytes = 12;
        for (Class<?> c = Optional.load(className); c != null; c = c.getSuperclass()) {
            for (java.lang.reflect.Field field : c.getDeclaredFields()) {
                if (!java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                    bytes += fieldBytes(field.getType());
                }
            }
        }
        return (bytes + 7) / 8 * 8;
    }

    static String envelopeFields(String className) {
        StringBuilder fields = new StringBuilder();
        for (java.lang.reflect.Field field : Optional.load(className).getDeclaredFields()) {
            if (!java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                fields.append(fields.length() == 0 ? "" : ",").append(field.getName()).append(':')
                        .append(fieldBytes(field.getType()));
            }
        }
        return fields.toString();
    }

    private static int fieldBytes(Class<?> type) {
        if (type == long.class || type == double.class) {
            return 8;
        }
        if (type == int.class || type == float.class) {
            return 4;
        }
        if (type == short.class || type == char.class) {
            return 2;
        }
        if (type == byte.class || type == boolean.class) {
            return 1;
        }
        return 4; // a compressed reference
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
        // what the bytes are made of: arrays of the packed length alone (16-byte id, 4-byte flags, the
        // payload), held in a deque as the queue holds them
        int packedLength = PACKED_HEADER + size;
        java.util.ArrayDeque<byte[]> arrays = new java.util.ArrayDeque<>();
        long arraysBefore = Role.settledHeap();
        for (int i = 0; i < count; i++) {
            arrays.add(new byte[packedLength]);
        }
        long arraysAfter = Role.settledHeap();
        Role.report("MEASURED", "before", before, "after", after, "nanos", nanos, "arrays", arraysAfter - arraysBefore,
                "arraysHeld", arrays.size(), "packedLength", packedLength, "envelope", shallowSize("org.snakemq.messaging.Envelope"),
                "envelopeFields", envelopeFields("org.snakemq.messaging.Envelope"));
        link.close();
    }
}
