package org.snakemq.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * 10,000 identified peers on one hub (the real stack), from light load peers ({@link RawPeers}, one
 * JVM, one selector thread each for half of them):
 * <ol>
 *   <li>the open-file and kernel limits are checked first;</li>
 *   <li>idle: hub heap after GC per identified connection, against the idle listener;</li>
 *   <li>busy: all peers send 100-byte messages (fan_in_10000: rate and CPU per message against
 *       transient_100b), hub heap per busy connection;</li>
 *   <li>quiet: the peers stop; hub heap and Netty direct memory once the connections went quiet;</li>
 *   <li>reconnect storm: the hub process is killed and a new one started on the same port; every
 *       peer must be identified again within 30 s, no peer may dial sooner than its interval after a
 *       break, and the new hub must drop no peer it had identified.</li>
 * </ol>
 */
final class PeersScenario {

    static final int RECONNECT_MILLIS = 3000;

    void run(Bench bench) throws Exception {
        int peers = bench.quick() ? 200 : 10_000;
        String limits = checkLimits(bench, peers);
        if (limits != null) {
            int fit = Integer.parseInt(limits);
            bench.note("peers_10000: running with " + fit + " peers instead of " + peers);
            peers = fit;
        }
        Child hub = FanInScenario.startHub(bench, 0);
        Child load = null;
        try {
            Map<String, String> ready = hub.awaitReady();
            String port = ready.get("target");
            long heapIdle = Long.parseLong(ready.get("heapIdle"));
            load = FanInScenario.startPeers(bench, port, peers, 2, true, reconnectMillis(bench));
            Map<String, String> connected = FanInScenario.waitConnected(hub, peers, 300);
            bench.note(String.format(Locale.ROOT, "peers_10000: %s peers identified %s ms after the hub listened"
                    + " (%s transport)", connected.get("peers"), connected.get("millis"), ready.get("transport")));
            Map<String, String> idle = FanInScenario.heap(hub);
            double idleKb = (Long.parseLong(idle.get("heap")) - heapIdle) / 1024.0 / peers;
            bench.note(String.format(Locale.ROOT, "peers_10000: hub heap after GC %.1f MB idle listener -> %.1f MB with"
                            + " %d idle identified peers: %.1f KB each; Netty direct memory %.1f MB", heapIdle / 1e6,
                    Long.parseLong(idle.get("heap")) / 1e6, peers, idleKb, Long.parseLong(idle.get("direct")) / 1e6));
            bench.add(new Result("peers_10000_heap_per_idle", Math.max(0.001, idleKb), "KB/peer", "goal", 16, true));
            bench.add(new Result("peers_10000_identified", Integer.parseInt(connected.get("peers")), "peers",
                    "expected", peers, false));

            FanInScenario.fanIn(bench, "fan_in_10000", hub, load, heapIdle, peers);
            load.tell("QUIET");
            hub.tell("SETTLE 120");
            Map<String, String> settled = hub.await("SETTLED", Duration.ofSeconds(150));
            bench.note("peers_10000: the hub drained the sockets' backlog: " + settled);
            Map<String, String> quiet = FanInScenario.heap(hub);
            double quietKb = (Long.parseLong(quiet.get("heap")) - heapIdle) / 1024.0 / peers;
            bench.note(String.format(Locale.ROOT, "peers_10000: after the peers went quiet: hub heap %.1f KB per"
                            + " connection (it grows with the ids each peer sent: duplicate suppression), Netty direct"
                            + " memory %.1f MB in chunks, %.1f MB allocated, %.1f MB after trimming the loop thread's"
                            + " cache (%.1f MB before any traffic)", quietKb,
                    Long.parseLong(quiet.get("direct")) / 1e6, Long.parseLong(quiet.get("directActive")) / 1e6,
                    Long.parseLong(quiet.get("directActiveTrimmed")) / 1e6, Long.parseLong(idle.get("direct")) / 1e6));
            bench.add(new Result("peers_10000_heap_per_quiet", Math.max(0.001, quietKb), "KB/peer", "idle",
                    Math.max(0.001, idleKb), true));

            storm(bench, hub, load, port, peers);
            hub = null; // closed by storm()
        } finally {
            if (load != null) {
                load.close();
            }
            if (hub != null) {
                hub.close();
            }
        }
    }

    static Scenario scenario() {
        return new Scenario("peers_10000",
                "10,000 identified light peers on 1 hub: limits, heap per idle/busy/quiet connection, fan_in_10000,"
                        + " reconnect storm after a hub restart",
                new PeersScenario()::run);
    }

    private void storm(Bench bench, Child hub, Child load, String port, int peers) throws Exception {
        load.tell("STATS");
        Map<String, String> before = load.await("STATS", Duration.ofSeconds(30));
        long killed = System.nanoTime();
        hub.kill();
        hub.close();
        try (Child second = FanInScenario.startHub(bench, Integer.parseInt(port))) {
            Map<String, String> ready = second.awaitReady();
            double downMillis = (System.nanoTime() - killed) / 1e6;
            Map<String, String> back = FanInScenario.waitConnected(second, peers, 60);
            double reidentified = Double.parseDouble(back.get("millis")) / 1000;
            Role.sleepSeconds(bench.quick() ? 1 : 3); // peers dropped late would show now
            second.tell("COUNT");
            Map<String, String> after = second.await("COUNT", Duration.ofSeconds(30));
            load.tell("STATS");
            Map<String, String> stats = load.await("STATS", Duration.ofSeconds(30));
            bench.note(String.format(Locale.ROOT, "peers_10000 storm: hub down %.0f ms (kill to listening again); all"
                            + " %s peers identified again %.1f s after the new hub listened, %s identifications,"
                            + " %s peers dropped by the new hub, %s protocol errors, %s connected 3 s later;"
                            + " load peers: %d dials, %d refused, shortest wait after a break %s ms (interval %d ms),"
                            + " most retries of one peer %s", downMillis, back.get("peers"), reidentified,
                    back.get("identifications"), back.get("disconnects"), back.get("errors"), after.get("connected"),
                    Long.parseLong(stats.get("dials")) - Long.parseLong(before.get("dials")),
                    Long.parseLong(stats.get("refused")) - Long.parseLong(before.get("refused")),
                    stats.get("minWaitMillis"), reconnectMillis(bench), stats.get("maxRetries")));
            bench.add(new Result("storm_10000_reidentified", Math.max(0.001, reidentified), "s", "goal", 30, true));
            bench.add(new Result("storm_10000_shortest_wait", Math.max(0.001, Double.parseDouble(
                    stats.get("minWaitMillis"))), "ms", "interval", reconnectMillis(bench), false));
            bench.add(new Result("storm_10000_connected_after", Integer.parseInt(after.get("connected")), "peers",
                    "expected", peers, false));
        }
    }

    /** The peers' first reconnect wait: the link's default 3 s; 500 ms in the smoke run. */
    static int reconnectMillis(Bench bench) {
        return bench.quick() ? 500 : RECONNECT_MILLIS;
    }

    /**
     * Checks what 10,000 connections on loopback need; prints what is missing. Returns null when all
     * is there, otherwise the number of peers the open-file limit allows.
     */
    static String checkLimits(Bench bench, int peers) {
        List<String> missing = new ArrayList<>();
        long files = openFiles();
        // the hub holds one descriptor per peer, the load JVM as many; both need some for the JVM itself
        long neededFiles = peers + 1024L;
        if (files >= 0 && files < neededFiles) {
            missing.add("open files limit " + files + " < " + neededFiles + " (ulimit -n " + neededFiles
                    + ", or LimitNOFILE= / nofile in limits.conf)");
        }
        long somaxconn = readLong("/proc/sys/net/core/somaxconn");
        if (somaxconn >= 0 && somaxconn < 4096) {
            missing.add("net.core.somaxconn " + somaxconn + " < 4096 (the accept backlog of the listener;"
                    + " a storm of connects overflows a smaller one and waits for SYN retries)");
        }
        long synBacklog = readLong("/proc/sys/net/ipv4/tcp_max_syn_backlog");
        if (synBacklog >= 0 && synBacklog < 4096) {
            bench.note("peers_10000: net.ipv4.tcp_max_syn_backlog " + synBacklog + " (4096 or more recommended"
                    + " for reconnect storms; not required on loopback)");
        }
        String range = read("/proc/sys/net/ipv4/ip_local_port_range");
        long ports = -1;
        if (range != null) {
            String[] parts = range.trim().split("\\s+");
            ports = Long.parseLong(parts[1]) - Long.parseLong(parts[0]) + 1;
            // each peer takes one ephemeral port towards the hub's address, one more while a reconnect
            // overlaps the old connection's TIME_WAIT
            if (ports < 2L * peers) {
                missing.add("ephemeral ports " + range.trim() + " (" + ports + ") < " + 2 * peers
                        + " (net.ipv4.ip_local_port_range)");
            }
        }
        bench.note(String.format(Locale.ROOT, "peers_10000 limits: open files %d, somaxconn %d, tcp_max_syn_backlog %d,"
                + " ephemeral ports %d: %s", files, somaxconn, synBacklog, ports,
                missing.isEmpty() ? "enough for " + peers + " peers" : "MISSING " + String.join("; ", missing)));
        if (files >= 0 && files < neededFiles) {
            return String.valueOf(Math.max(10, files - 1024));
        }
        return null;
    }

    /** The soft open-files limit of this process (children inherit it), from /proc/self/limits. */
    static long openFiles() {
        String limits = read("/proc/self/limits");
        if (limits == null) {
            return -1;
        }
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                return parts[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(parts[0]);
            }
        }
        return -1;
    }

    private static long readLong(String path) {
        String text = read(path);
        try {
            return text == null ? -1 : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String read(String path) {
        // procfs files announce a size of 0: read them as a stream, not by their size
        try (java.io.InputStream in = Files.newInputStream(Path.of(path))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
    }
}
