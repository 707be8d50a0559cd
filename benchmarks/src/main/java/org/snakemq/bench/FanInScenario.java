package org.snakemq.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.snakemq.messaging.MessagingOptions;

/**
 * One hub (the real stack on one listener) and 1,000 identified peers sending 100-byte messages to
 * it. The load peers are light ({@link RawPeers}: every peer a plain connection speaking the wire
 * protocol, all on one selector thread in one JVM), so that the hub, not the load, sets the pace.
 * Reports the hub's total receive rate beside the one-to-one transient_100b rate of the same run,
 * and the hub's CPU per message beside the one-to-one receiver's.
 */
final class FanInScenario {

    static final int SIZE = 100;
    static final List<String> HUB_JVM = List.of("-Xms256m", "-Xmx4g");
    /** The hub's heap limit of {@link #HUB_JVM}. */
    static final long HUB_HEAP_BYTES = 4L << 30;
    static final List<String> LOAD_JVM = List.of("-Xms128m", "-Xmx1g");
    /** The ids the hub remembers per peer by default (MessagingOptions.defaults().duplicateMemory()). */
    static final int DUPLICATE_MEMORY = MessagingOptions.defaults().duplicateMemory();
    /** The longest extra warm-up for the duplicate memory to reach its full size. */
    static final double MAX_WARMUP_SECONDS = 45;
    /**
     * The shortest extra warm-up: the JIT compiles the hub's paths seconds into the sending, and the
     * peers that started first shrink to their share of the duplicate-memory budget only at their next
     * retirement.
     */
    static final double MIN_WARMUP_SECONDS = 15;

    void run(Bench bench) throws Exception {
        int peers = bench.quick() ? 50 : 1000;
        // the baseline first, alone on the machine: measured later it would share the cores with the hub
        // and the load peers, which keep sending after the window
        oneToOneRate(bench);
        try (Child hub = startHub(bench, 0)) {
            Map<String, String> ready = hub.awaitReady();
            try (Child load = startPeers(bench, ready.get("target"), peers, 1, true, 3000)) {
                Map<String, String> connected = waitConnected(hub, peers, 120);
                bench.note(String.format(Locale.ROOT, "fan_in_1000: %s peers identified %s ms after the hub listened",
                        connected.get("peers"), connected.get("millis")));
                fanIn(bench, "fan_in_1000", hub, load, Long.parseLong(ready.get("heapIdle")), peers);
            }
        }
        // the same with plain protocol-1 peers (no CAPABILITIES): the hub then sends no acknowledgements
        // and keeps no duplicate-suppression memory, which shows what at-least-once delivery costs it
        try (Child hub = startHub(bench, 0)) {
            Map<String, String> ready = hub.awaitReady();
            try (Child load = startPeers(bench, ready.get("target"), peers, 1, false, 3000)) {
                waitConnected(hub, peers, 120);
                fanIn(bench, "fan_in_1000_plain", hub, load, Long.parseLong(ready.get("heapIdle")), peers);
            }
        }
    }

    static Scenario scenario() {
        return new Scenario("fan_in_1000",
                "1 hub, 1,000 identified light peers (1 JVM, 1 thread) send 100-byte messages: hub msg/s and"
                        + " CPU/msg vs transient_100b's receiver",
                new FanInScenario()::run);
    }

    static Child startHub(Bench bench, int port) throws Exception {
        return Child.start(bench, "hub", HUB_JVM, Map.of("port", port));
    }

    static Child startPeers(Bench bench, String target, int peers, int threads, boolean acks, int reconnectMillis)
            throws Exception {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("target", target);
        args.put("first", 0);
        args.put("count", peers);
        args.put("threads", threads);
        args.put("size", SIZE);
        args.put("acks", acks);
        args.put("reconnectMillis", reconnectMillis);
        if (acks && System.getProperty("snakemq.bench.peerAcks") != null) {
            args.put("acks", Boolean.getBoolean("snakemq.bench.peerAcks"));
        }
        return Child.start(bench, "raw-peers", LOAD_JVM, args);
    }

    static Map<String, String> waitConnected(Child hub, int peers, int seconds) throws Exception {
        hub.tell("WAIT " + peers + " " + seconds);
        Map<String, String> m = hub.await("CONNECTED", Duration.ofSeconds(seconds + 30));
        if (!Boolean.parseBoolean(m.get("all"))) {
            throw new IllegalStateException("only " + m.get("peers") + " of " + peers + " peers identified: " + m);
        }
        return m;
    }

    static Map<String, String> heap(Child hub) throws Exception {
        hub.tell("HEAP");
        Map<String, String> heap = hub.await("HEAP", Duration.ofSeconds(60));
        if (Boolean.getBoolean("snakemq.bench.histogram")) {
            // diagnosis: what the hub's heap is made of, the largest classes first
            Process p = new ProcessBuilder("jcmd", String.valueOf(hub.pid()), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            text.lines().limit(Integer.getInteger("snakemq.bench.histogramLines", 25))
                    .forEach(line -> System.err.println("[hub histogram] " + line));
        }
        return heap;
    }

    /**
     * With every peer identified: all send, the hub counts over the window; RESULT lines for the rate,
     * the hub's CPU per message and the hub's heap while busy. Leaves the peers sending.
     */
    static void fanIn(Bench bench, String name, Child hub, Child load, long heapIdle, int peers) throws Exception {
        double oneToOne = oneToOneRate(bench); // with the peers connected but quiet, if not measured yet
        load.tell("SEND");
        Role.sleepSeconds(bench.warmupOfAtLeast(TransientScenario.MIN_WARMUP_SECONDS));
        if (!bench.quick() && !name.endsWith("_plain")) {
            warmDuplicateMemory(bench, name, hub, peers);
        }
        long load0 = load.cpuNanos();
        hub.tell("WINDOW " + bench.seconds());
        Map<String, String> w = hub.await("WINDOW", bench.runTimeout());
        long load1 = load.cpuNanos();
        double count = Double.parseDouble(w.get("count"));
        double nanos = Double.parseDouble(w.get("nanos"));
        double rate = Child.perSecond(w);
        double hubCpu = Child.perMessage(w, "cpuNanos");
        double hubUser = Child.perMessage(w, "userNanos");
        bench.note(String.format(Locale.ROOT, "%s: hub received %.0f msg/s from %d peers, %s connected at the end;"
                        + " CPU over the window: hub %.2f cores (%.0f ns/msg, %.0f of it in user mode), load JVM %.2f"
                        + " cores (%.0f ns/msg)",
                name, rate, peers, w.get("connected"), Double.parseDouble(w.get("cpuNanos")) / nanos, hubCpu, hubUser,
                (load1 - load0) / nanos, (load1 - load0) / Math.max(1, count)));
        Map<String, String> busy = heap(hub);
        Double receiverCpu = bench.shared().get("smq-recv_cpu_" + SIZE);
        bench.add(new Result(name, rate, "msg/s", "snakemq_1to1", oneToOne, false));
        if (receiverCpu != null) {
            bench.add(new Result(name + "_cpu", hubCpu, "ns/msg", "receiver_1to1", receiverCpu, true));
        }
        // the same in user mode only: the stack's own work, without the kernel's, of which a saturated hub on
        // loopback also does the peers' share (see benchmarks/README.md)
        Double receiverUser = bench.shared().get("smq-recv_user_" + SIZE);
        if (receiverUser != null && hubUser >= 0) {
            bench.add(new Result(name + "_cpu_user", hubUser, "ns/msg", "receiver_1to1_user", receiverUser, true));
        }
        double busyKb = (Long.parseLong(busy.get("heap")) - heapIdle) / 1024.0 / peers;
        bench.note(String.format(Locale.ROOT, "%s: hub heap after GC while busy %.1f MB (idle listener %.1f MB),"
                        + " Netty direct memory %.1f MB in chunks, %.1f MB allocated, %.1f MB after trimming the loop"
                        + " thread's cache", name, Long.parseLong(busy.get("heap")) / 1e6, heapIdle / 1e6,
                Long.parseLong(busy.get("direct")) / 1e6, Long.parseLong(busy.get("directActive")) / 1e6,
                Long.parseLong(busy.get("directActiveTrimmed")) / 1e6));
        bench.add(new Result(name + "_heap_per_busy", Math.max(0.001, busyKb), "KB/peer", "goal_idle", 16, true));
        paced(bench, name, hub, load, oneToOne / 2, receiverCpu);
    }

    /**
     * The hub's CPU per message while the peers offer {@code rate} messages a second in total (half the
     * one-to-one rate, the rate the fan-in goal asks for), which the hub keeps up with: the regime in
     * which the one-to-one receiver is measured. Saturated, the hub also does the kernel's work of its
     * window-limited peers (see benchmarks/README.md). Leaves the peers sending as fast as they can.
     */
    private static void paced(Bench bench, String name, Child hub, Child load, double rate, Double receiverCpu)
            throws Exception {
        load.tell("SEND " + (long) rate);
        // first the backlog of the saturated run drains: until a second's count is near the offered rate
        long last = count(hub);
        int near = 0;
        int limit = bench.quick() ? 10 : 60;
        for (int second = 0; second < limit && near < 2; second++) {
            Role.sleepSeconds(1);
            long now = count(hub);
            near = now - last <= rate * 1.1 ? near + 1 : 0;
            last = now;
        }
        hub.tell("WINDOW " + bench.seconds());
        Map<String, String> w = hub.await("WINDOW", bench.runTimeout());
        load.tell("SEND");
        double cpu = Child.perMessage(w, "cpuNanos");
        bench.note(String.format(Locale.ROOT, "%s paced: peers offered %.0f msg/s, the hub received %.0f msg/s with"
                        + " %.2f cores (%.0f ns/msg, %.0f of it in user mode)%s", name, rate, Child.perSecond(w),
                Double.parseDouble(w.get("cpuNanos")) / Double.parseDouble(w.get("nanos")), cpu,
                Child.perMessage(w, "userNanos"), near < 2 ? "; the backlog had NOT drained" : ""));
        if (receiverCpu != null) {
            bench.add(new Result(name + "_paced_cpu", cpu, "ns/msg", "receiver_1to1", receiverCpu, true));
        }
    }

    private static long count(Child hub) throws Exception {
        hub.tell("COUNT");
        return Long.parseLong(hub.await("COUNT", Duration.ofSeconds(30)).get("received"));
    }

    /**
     * Keeps the peers sending until the hub holds every peer's duplicate memory at its full size (two
     * generations retired at the peer's share, about three times {@link #generation} messages from each
     * peer) and at least {@link #MIN_WARMUP_SECONDS} passed, as the one-to-one receiver's memory is full
     * after its warm-up, or for at most {@link #MAX_WARMUP_SECONDS}. Before that the hub would be
     * measured while its tables are still small.
     */
    private static void warmDuplicateMemory(Bench bench, String name, Child hub, int peers) throws Exception {
        int generation = generation(peers);
        long target = (long) peers * generation * 3; // every peer retired twice at its share
        long start = System.nanoTime();
        long received = 0;
        while ((System.nanoTime() - start) / 1e9 < MAX_WARMUP_SECONDS) {
            received = count(hub);
            if (received >= target && (System.nanoTime() - start) / 1e9 >= MIN_WARMUP_SECONDS) {
                break;
            }
            Role.sleepSeconds(1);
        }
        bench.note(String.format(Locale.ROOT, "%s: %d messages per peer before the window (%s three generations"
                        + " of %d ids of duplicate memory%s; %.0f s more warm-up)", name, received / peers,
                received >= target ? "past" : "NOT past", generation, generation < DUPLICATE_MEMORY
                        ? ", each peer's share of the hub's default budget of a quarter of its heap" : "",
                (System.nanoTime() - start) / 1e9));
    }

    /**
     * About how many ids the hub remembers per peer once they all sent: {@link #DUPLICATE_MEMORY}, or each
     * peer's share of the default budget (a quarter of the heap, about 48 bytes an id, at least 256).
     */
    static int generation(int peers) {
        long share = HUB_HEAP_BYTES / 4 / peers / 48;
        return (int) Math.min(DUPLICATE_MEMORY, Math.max(256, share));
    }

    /** The one-to-one transient_100b rate of this run, measured now when that scenario did not run. */
    static double oneToOneRate(Bench bench) throws Exception {
        Double rate = bench.shared().get("snakemq_1to1_" + SIZE);
        if (rate == null) {
            rate = StacksFanInScenario.measureOneToOne(bench);
            bench.shared().put("snakemq_1to1_" + SIZE, rate);
        }
        return rate;
    }
}
