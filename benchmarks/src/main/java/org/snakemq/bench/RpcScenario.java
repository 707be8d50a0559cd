package org.snakemq.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import org.snakemq.link.Link;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.ReceiveHook;
import org.snakemq.packeter.Packeter;

/**
 * RPC round trips between two peers: median and p99 latency with one caller, calls/s with 16
 * concurrent callers. Baseline: JeroMQ REQ/REP with a 100-byte request and reply (one REP socket,
 * one REQ socket per caller).
 */
final class RpcScenario implements Scenario {

    static final int CALLERS = 16;
    /**
     * Warm-up of each RPC client before its latencies count. The RPC path (pickling, dispatch,
     * Netty) takes the JIT several seconds on two cores; a shorter warm-up measures compilation, not
     * round trips. JeroMQ gets the same warm-up.
     */
    static final double MIN_WARMUP_SECONDS = 8;
    private static final int ZMQ_SIZE = 100;

    @Override
    public String name() {
        return "rpc_roundtrip";
    }

    @Override
    public String description() {
        return "RPC echo(long): median/p99 latency with 1 caller, calls/s with " + CALLERS
                + " callers, after at least " + (int) MIN_WARMUP_SECONDS + " s of warm-up; baseline JeroMQ REQ/REP";
    }

    @Override
    public boolean available() {
        return Optional.present(Optional.RPC_SERVER) && Optional.present(Optional.RPC_CLIENT);
    }

    @Override
    public void run(Bench bench) throws Exception {
        Map<String, String> snakemq = pair(bench, "rpc-server", "rpc-client");
        Map<String, String> zmq = pair(bench, "zmq-rep", "zmq-req");
        double median = Double.parseDouble(snakemq.get("medianNanos")) / 1000;
        double p99 = Double.parseDouble(snakemq.get("p99Nanos")) / 1000;
        double zmqMedian = Double.parseDouble(zmq.get("medianNanos")) / 1000;
        double zmqP99 = Double.parseDouble(zmq.get("p99Nanos")) / 1000;
        bench.add(new Result("rpc_roundtrip_median", median, "us", "jeromq_req_rep", zmqMedian, true));
        bench.add(new Result("rpc_roundtrip_p99", p99, "us", "jeromq_req_rep", zmqP99, true));
        bench.add(new Result("rpc_roundtrip_calls_16", Double.parseDouble(snakemq.get("callsPerSecond")),
                "calls/s", "jeromq_req_rep", Double.parseDouble(zmq.get("callsPerSecond")), false));
    }

    private Map<String, String> pair(Bench bench, String serverRole, String clientRole) throws Exception {
        try (Child server = Child.start(bench, serverRole, TransientScenario.JVM, Map.of())) {
            String target = server.await("READY", Duration.ofSeconds(60)).get("target");
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("target", target);
            args.put("warmup", bench.warmupOfAtLeast(MIN_WARMUP_SECONDS));
            args.put("seconds", bench.seconds());
            try (Child client = Child.start(bench, clientRole, TransientScenario.JVM, args)) {
                Map<String, String> m = client.await("MEASURED", bench.runTimeout().plus(bench.runTimeout()));
                bench.note(String.format(Locale.ROOT, "rpc_roundtrip %s: median %.1f us, p99 %.1f us over %s calls;"
                                + " %s calls/s with %d callers", clientRole,
                        Double.parseDouble(m.get("medianNanos")) / 1000, Double.parseDouble(m.get("p99Nanos")) / 1000,
                        m.get("calls"), m.get("callsPerSecond"), CALLERS));
                return m;
            }
        }
    }

    static void roles(Map<String, BenchMain.RoleMain> roles) {
        roles.put("rpc-server", RpcScenario::snakemqServer);
        roles.put("rpc-client", RpcScenario::snakemqClient);
        roles.put("zmq-rep", RpcScenario::zmqServer);
        roles.put("zmq-req", RpcScenario::zmqClient);
    }

    /** One round trip; thread-safe per caller as the implementations require. */
    interface Caller {
        void call(long value) throws Exception;
    }

    /** Latencies of one caller over the window, then the rate of {@link #CALLERS} callers. */
    private static void measure(Role role, java.util.function.Supplier<Caller> callers) throws Exception {
        double warmup = role.decimal("warmup");
        double seconds = role.decimal("seconds");
        Caller single = callers.get();
        long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
        long n = 0;
        while (System.nanoTime() < warmEnd) {
            single.call(n++);
        }
        long[] latencies = new long[1 << 16];
        int count = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (true) {
            long t0 = System.nanoTime();
            if (t0 >= end) {
                break;
            }
            single.call(n++);
            long t1 = System.nanoTime();
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = t1 - t0;
        }
        Arrays.sort(latencies, 0, count);
        long median = latencies[count / 2];
        long p99 = latencies[Math.min(count - 1, (int) Math.ceil(count * 0.99) - 1)];

        AtomicLong calls = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(CALLERS);
        for (int t = 0; t < CALLERS; t++) {
            Caller caller = callers.get();
            Thread thread = new Thread(() -> {
                try {
                    long v = 0;
                    while (!stop.get()) {
                        caller.call(v++);
                        if (measuring.get()) {
                            calls.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    Role.report("FAILED", "reason", String.valueOf(e).replace(' ', '_'));
                } finally {
                    done.countDown();
                }
            }, "caller-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        Role.sleepSeconds(Math.min(warmup, 1));
        long c0 = calls.get();
        measuring.set(true);
        long t0 = System.nanoTime();
        Role.sleepSeconds(seconds);
        measuring.set(false);
        long t1 = System.nanoTime();
        long concurrent = calls.get() - c0;
        stop.set(true);
        Role.report("MEASURED", "medianNanos", median, "p99Nanos", p99, "calls", count,
                "callsPerSecond", String.format(Locale.ROOT, "%.0f", concurrent * 1e9 / (t1 - t0)));
    }

    // ---------------------------------------------------------------- snakeMQ (RpcServer / RpcClient)

    private static void snakemqServer(Role role) throws Exception {
        Link link = new Link();
        Messaging messaging = new Messaging("server", "", new Packeter(link));
        ReceiveHook hook = new ReceiveHook(messaging);
        Class<?> type = Optional.load(Optional.RPC_SERVER);
        Object server = type.getConstructor(ReceiveHook.class).newInstance(hook);
        type.getMethod("register", String.class, Object.class).invoke(server, "bench", new BenchService());
        InetSocketAddress bound = link.addListener(new InetSocketAddress("127.0.0.1", 0));
        link.start();
        Role.report("READY", "target", bound.getPort());
        new CountDownLatch(1).await(); // serves until the parent ends this process
    }

    private static void snakemqClient(Role role) throws Exception {
        Link link = new Link();
        Messaging messaging = new Messaging("client", "", new Packeter(link));
        ReceiveHook hook = new ReceiveHook(messaging);
        Class<?> type = Optional.load(Optional.RPC_CLIENT);
        Object client = type.getConstructor(ReceiveHook.class).newInstance(hook);
        type.getMethod("setDefaultTimeout", Duration.class).invoke(client, Duration.ofSeconds(30));
        Method call = type.getMethod("call", String.class, String.class, String.class, Object[].class);
        link.addConnector(new InetSocketAddress("127.0.0.1", role.integer("target")), Duration.ofMillis(200), null);
        link.start();
        if (!Role.await(() -> messaging.isConnected("server"), Duration.ofSeconds(30))) {
            throw new IllegalStateException("server not connected");
        }
        measure(role, () -> value -> {
            Object result;
            try {
                result = call.invoke(client, "server", "bench", "echo", new Object[] {value});
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
            }
            if (((Number) result).longValue() != value) {
                throw new IllegalStateException("echo returned " + result + " for " + value);
            }
        });
    }

    // ---------------------------------------------------------------- JeroMQ REQ/REP

    private static void zmqServer(Role role) throws Exception {
        ZContext context = new ZContext();
        ZMQ.Socket rep = context.createSocket(SocketType.REP);
        rep.bind("tcp://127.0.0.1:*");
        Role.report("READY", "target", rep.getLastEndpoint());
        byte[] request;
        while ((request = rep.recv(0)) != null) {
            rep.send(request, 0);
        }
    }

    private static void zmqClient(Role role) throws Exception {
        ZContext context = new ZContext();
        String target = role.get("target");
        measure(role, () -> {
            ZMQ.Socket req = context.createSocket(SocketType.REQ);
            req.connect(target);
            byte[] payload = new byte[ZMQ_SIZE];
            return value -> {
                payload[0] = (byte) value;
                req.send(payload, 0);
                byte[] reply = req.recv(0);
                if (reply == null || reply.length != ZMQ_SIZE || reply[0] != (byte) value) {
                    throw new IllegalStateException("bad reply");
                }
            };
        });
    }

}
