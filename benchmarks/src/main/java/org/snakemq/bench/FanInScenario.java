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
 * One listener ("hub") and 1,000 connected peers, each its own Link + Messaging stack, spread over a
 * few child JVMs, all sending 100-byte messages to the hub. Reports the total rate (beside the
 * one-to-one snakeMQ rate), whether all peers were connected at once, and the hub's heap.
 */
final class FanInScenario implements Scenario {

    private static final int SIZE = 100;

    @Override
    public String name() {
        return "fan_in_1000";
    }

    @Override
    public String description() {
        return "1 listener, 1,000 peers (4 JVMs x 250 stacks) connect, then all send 100-byte messages:"
                + " msg/s, peers at once, heap";
    }

    @Override
    public void run(Bench bench) throws Exception {
        int peers = bench.quick() ? 20 : 1000;
        int jvms = bench.quick() ? 2 : 4;
        bench.note("fan_in_1000: " + peers + " peers in " + jvms + " JVMs; open files limit of this process: "
                + openFilesLimit());
        Double oneToOne = bench.shared().get("snakemq_1to1_" + SIZE);
        Map<String, Object> hubArgs = new LinkedHashMap<>();
        hubArgs.put("peers", peers);
        hubArgs.put("warmup", bench.warmup());
        hubArgs.put("seconds", bench.seconds());
        try (Child hub = Child.start(bench, "fan-hub", List.of("-Xms256m", "-Xmx3g"), hubArgs)) {
            Map<String, String> ready = hub.await("READY", Duration.ofSeconds(60));
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
                bench.note("fan_in_1000: " + connected.get("peers") + " peers connected after "
                        + connected.get("millis") + " ms (before any sending)");
                for (Child sender : senders) {
                    sender.tell("GO");
                }
                Map<String, String> m = hub.await("MEASURED", bench.runTimeout().plusSeconds(30));
                double rate = Double.parseDouble(m.get("count")) * 1e9 / Double.parseDouble(m.get("nanos"));
                int maxAtOnce = Integer.parseInt(m.get("maxConnected"));
                double idleMb = Long.parseLong(m.get("heapIdle")) / 1e6;
                double loadedMb = Long.parseLong(m.get("heapLoaded")) / 1e6;
                bench.note(String.format(Locale.ROOT, "fan_in_1000: %.0f msg/s, at most %d peers at once, %s still"
                                + " connected after the window, hub heap %.1f MB idle -> %.1f MB with peers",
                        rate, maxAtOnce, m.get("connectedAtEnd"), idleMb, loadedMb));
                if (oneToOne == null) {
                    oneToOne = measureOneToOne(bench);
                }
                bench.add(new Result("fan_in_1000", rate, "msg/s", "snakemq_1to1", oneToOne, false));
                bench.add(new Result("fan_in_1000_peers", maxAtOnce, "peers", "expected", peers, false));
                bench.add(new Result("fan_in_1000_heap", loadedMb, "MB", "idle_listener", idleMb, true));
            } finally {
                senders.forEach(Child::close);
            }
        }
    }

    private static double measureOneToOne(Bench bench) throws Exception {
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
        roles.put("fan-hub", FanInScenario::hub);
        roles.put("fan-peers", FanInScenario::peers);
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
