package org.snakemq.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.packeter.Packeter;

/**
 * The earlier fan-in, kept for the diagnosis: one listener ("hub") and 1,000 connected peers, each
 * its own Link + Messaging stack (one loop thread each), 250 per child JVM, all sending 100-byte
 * messages to the hub. Reports the total rate beside the one-to-one rate, and the CPU the hub and the
 * load JVMs used over the window: with 1,000 loop threads on two cores the load peers, not the hub,
 * take most of the CPU. {@link FanInScenario} measures the hub with light load peers.
 */
final class StacksFanInScenario {

    private static final int SIZE = 100;

    void run(Bench bench) throws Exception {
        int peers = bench.quick() ? 20 : 1000;
        int jvms = bench.quick() ? 2 : 4;
        bench.note("fan_in_1000_stacks: " + peers + " peers in " + jvms + " JVMs; open files limit of this process: "
                + openFilesLimit());
        Double oneToOne = bench.shared().get("snakemq_1to1_" + SIZE);
        Map<String, Object> hubArgs = new LinkedHashMap<>();
        hubArgs.put("peers", peers);
        hubArgs.put("warmup", bench.warmup());
        hubArgs.put("seconds", bench.seconds());
        try (Child hub = Child.start(bench, "fan-hub", List.of("-Xms256m", "-Xmx3g"), hubArgs)) {
            Map<String, String> ready = hub.awaitReady();
            List<Child> senders = new ArrayList<>();
            try {
                for (int j = 0; j < jvms; j++) {
                    int first = j * peers / jvms;
                    int last = (j + 1) * peers / jvms;
                    senders.add(Child.start(bench, "fan-peers", List.of("-Xms256m", "-Xmx768m", "-Xss512k"),
                            Map.of("target", ready.get("target"), "first", first, "count", last - first,
                                    "size", SIZE)));
                }
                // first every peer connects (nobody sends yet), then all send
                Map<String, String> connected = hub.await("CONNECTED", Duration.ofSeconds(180));
                bench.note("fan_in_1000_stacks: " + connected.get("peers") + " peers connected after "
                        + connected.get("millis") + " ms (before any sending)");
                for (Child sender : senders) {
                    sender.tell("GO");
                }
                long[] before = cpu(hub, senders);
                Map<String, String> m = hub.await("MEASURED", bench.runTimeout().plusSeconds(30));
                long[] after = cpu(hub, senders);
                double rate = Child.perSecond(m);
                double windowNanos = Double.parseDouble(m.get("nanos"));
                double hubCores = (after[0] - before[0]) / windowNanos;
                double loadCores = (after[1] - before[1]) / windowNanos;
                bench.note(String.format(Locale.ROOT, "fan_in_1000_stacks: CPU over the window (about): hub %.2f cores,"
                                + " the %d load JVMs %.2f cores; hub CPU %.0f ns/msg", hubCores, jvms, loadCores,
                        (after[0] - before[0]) / Math.max(1.0, Double.parseDouble(m.get("count")))));
                int maxAtOnce = Integer.parseInt(m.get("maxConnected"));
                double idleMb = Long.parseLong(m.get("heapIdle")) / 1e6;
                double loadedMb = Long.parseLong(m.get("heapLoaded")) / 1e6;
                bench.note(String.format(Locale.ROOT, "fan_in_1000_stacks: %.0f msg/s, at most %d peers at once, %s still"
                                + " connected after the window, hub heap %.1f MB idle -> %.1f MB with peers",
                        rate, maxAtOnce, m.get("connectedAtEnd"), idleMb, loadedMb));
                if (oneToOne == null) {
                    oneToOne = measureOneToOne(bench);
                }
                bench.add(new Result("fan_in_1000_stacks", rate, "msg/s", "snakemq_1to1", oneToOne, false));
                bench.add(new Result("fan_in_1000_stacks_hub_cores", hubCores, "cores", "load_jvms", loadCores,
                        true));
            } finally {
                senders.forEach(Child::close);
            }
        }
    }

    static Scenario scenario() {
        return new Scenario("fan_in_1000_stacks",
                "diagnosis: 1 listener, 1,000 peers as 4 JVMs x 250 full stacks, all send 100-byte messages:"
                        + " msg/s, CPU of the hub and of the load JVMs",
                new StacksFanInScenario()::run);
    }

    /** CPU used so far by the hub and by all load JVMs together. */
    private static long[] cpu(Child hub, List<Child> senders) {
        long load = 0;
        for (Child sender : senders) {
            load += sender.cpuNanos();
        }
        return new long[] {hub.cpuNanos(), load};
    }

    static double measureOneToOne(Bench bench) throws Exception {
        return new TransientScenario("transient_100b", SIZE).rate(bench, "smq-recv", "smq-send");
    }

    static String openFilesLimit() {
        try {
            Process p = new ProcessBuilder("sh", "-c", "ulimit -n").redirectErrorStream(true).start();
            String limit = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return limit;
        } catch (Exception e) {
            return "unknown (" + e + ")";
        }
    }

    static void roles(Map<String, BenchMain.RoleMain> roles) {
        roles.put("fan-hub", StacksFanInScenario::hub);
        roles.put("fan-peers", StacksFanInScenario::peers);
    }

    private static void hub(Role role) throws Exception {
        int peers = role.integer("peers");
        Link link = new Link();
        Messaging messaging = new Messaging("hub", "", new Packeter(link));
        TransientScenario.Counter counter = new TransientScenario.Counter();
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger maxConnected = new AtomicInteger();
        messaging.onMessageReceived().add((conn, ident, message) -> counter.increment());
        messaging.onConnect().add((conn, ident) -> maxConnected.accumulateAndGet(connected.incrementAndGet(), Math::max));
        messaging.onDisconnect().add((conn, ident) -> connected.decrementAndGet());
        InetSocketAddress bound = link.addListener(new InetSocketAddress("127.0.0.1", 0));
        link.start();
        long heapIdle = Role.settledHeap();
        Role.report("READY", "target", bound.getPort());
        long start = System.nanoTime();
        Role.await(() -> connected.get() >= peers, Duration.ofSeconds(150));
        Role.report("CONNECTED", "peers", connected.get(), "millis", (System.nanoTime() - start) / 1_000_000);
        Role.Window window = Role.window(counter::get, role.decimal("warmup"), role.decimal("seconds"));
        long heapLoaded = Role.settledHeap();
        Role.report("MEASURED", "count", window.count(), "nanos", window.nanos(), "maxConnected", maxConnected.get(),
                "connectedAtEnd", connected.get(), "heapIdle", heapIdle, "heapLoaded", heapLoaded);
    }

    private static void peers(Role role) throws Exception {
        int first = role.integer("first");
        int count = role.integer("count");
        byte[] data = new byte[role.integer("size")];
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", role.integer("target"));
        List<Link> links = new ArrayList<>();
        List<Messaging> stacks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Link link = new Link();
            Messaging messaging = new Messaging("peer-" + (first + i), "", new Packeter(link));
            link.addConnector(target, Duration.ofSeconds(1), null);
            link.start();
            links.add(link);
            stacks.add(messaging);
        }
        Role.GO.await();
        SplittableRandom random = new SplittableRandom();
        int batchSize = 64;
        List<Message> batch = new ArrayList<>(batchSize);
        while (true) {
            boolean sent = false;
            for (Messaging messaging : stacks) {
                if (!messaging.isConnected("hub") || messaging.queueSize("hub") > 4 * batchSize) {
                    continue;
                }
                batch.clear();
                for (int i = 0; i < batchSize; i++) {
                    batch.add(TransientScenario.message(random, data));
                }
                messaging.sendAll("hub", batch);
                sent = true;
            }
            if (!sent) {
                LockSupport.parkNanos(100_000);
            }
        }
    }
}
