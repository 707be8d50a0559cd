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

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import org.snakemq.link.Link;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.ReceiveHook;
import org.snakemq.packeter.Packeter;

/**
 * RPC round trips between two peers: median and p99 latency with one caller, calls/s with 16
 * concurrent callers, and the CPU time per call of the client and the server process in both. Baselines:
 * JeroMQ REQ/REP with a 100-byte request and reply (one REP socket, one REQ socket per caller), and
 * gRPC-java (Netty transport, unary call, the same 8-byte echo, one channel shared by the callers).
 * snakeMQ runs three times: with the link's default spin limit, with {@code spinMicros=0} (no idle
 * polling), since polling trades CPU time for latency, and with the echo marked {@code @RpcNonBlocking}
 * (run on the loop thread, beside gRPC with {@code directExecutor()}).
 */
final class RpcScenario {

    static final int CALLERS = 16;
    /**
     * Warm-up of each RPC client before its latencies count, baselines alike. The RPC path (pickling,
     * dispatch, Netty) keeps the JIT busy for a long time on two cores: at 8 s the C2 compiler still
     * took half of each snakeMQ RPC process's CPU through the window; after 24 s the medians of
     * snakeMQ and gRPC were 30-60% lower and JeroMQ's unchanged, so the window measures the steady
     * state.
     */
    static final double MIN_WARMUP_SECONDS = 24;
    /**
     * Serves an echo marked {@code @RpcNonBlocking}: it runs on the server's loop thread, without the
     * hand-off to a worker. gRPC's counterpart is a server with {@link #DIRECT_EXECUTOR}.
     */
    static final String NON_BLOCKING = "snakemq.bench.nonBlocking";
    /** A gRPC server with {@code directExecutor()}: calls run on its Netty thread. */
    static final String DIRECT_EXECUTOR = "snakemq.bench.directExecutor";
    private static final int ZMQ_SIZE = 100;

    void run(Bench bench) throws Exception {
        Map<String, String> snakemq = pair(bench, "rpc-server", "rpc-client", List.of());
        // the smoke run reuses the default figures for the spin-0 lines
        Map<String, String> spin0 = bench.quick() ? snakemq
                : pair(bench, "rpc-server", "rpc-client", List.of("-Dsnakemq.bench.spinMicros=0"));
        Map<String, String> onLoop = pair(bench, "rpc-server", "rpc-client", List.of("-D" + NON_BLOCKING + "=true"));
        Map<String, String> zmq = pair(bench, "zmq-rep", "zmq-req", List.of());
        Map<String, String> grpc = pair(bench, "grpc-server", "grpc-client", List.of());
        Map<String, String> grpcDirect = bench.quick() ? grpc
                : pair(bench, "grpc-server", "grpc-client", List.of("-D" + DIRECT_EXECUTOR + "=true"));
        for (Map.Entry<String, Map<String, String>> baseline : List.of(Map.entry("jeromq_req_rep", zmq),
                Map.entry("grpc_unary", grpc))) {
            addLatencies(bench, "rpc_roundtrip", snakemq, baseline.getKey(), baseline.getValue());
        }
        addLatencies(bench, "rpc_roundtrip_spin0", spin0, "grpc_unary", grpc);
        addLatencies(bench, "rpc_roundtrip_nonblocking", onLoop, "jeromq_req_rep", zmq);
        addLatencies(bench, "rpc_roundtrip_nonblocking", onLoop, "grpc_unary_direct", grpcDirect);
        for (Map.Entry<String, Map<String, String>> baseline : List.of(Map.entry("jeromq_req_rep", zmq),
                Map.entry("grpc_unary", grpc))) {
            addCpu(bench, "rpc", snakemq, baseline.getKey(), baseline.getValue());
        }
        addCpu(bench, "rpc_spin0", spin0, "grpc_unary", grpc);
        addCpu(bench, "rpc_nonblocking", onLoop, "grpc_unary_direct", grpcDirect);
    }

    static Scenario scenario() {
        return new Scenario("rpc_roundtrip",
                "RPC echo(long): median/p99 latency with 1 caller, calls/s with " + CALLERS
                        + " callers, CPU per call, after at least " + (int) MIN_WARMUP_SECONDS
                        + " s of warm-up; baselines JeroMQ REQ/REP and gRPC unary; also with spin limit 0,"
                        + " and with the echo marked @RpcNonBlocking beside gRPC with directExecutor()",
                new RpcScenario()::run,
                () -> Optional.present(Optional.RPC_SERVER) && Optional.present(Optional.RPC_CLIENT));
    }

    private static void addLatencies(Bench bench, String name, Map<String, String> ours, String baseline,
                                     Map<String, String> theirs) {
        bench.add(new Result(name + "_median", micros(ours, "medianNanos"), "us", baseline,
                micros(theirs, "medianNanos"), true));
        bench.add(new Result(name + "_p99", micros(ours, "p99Nanos"), "us", baseline, micros(theirs, "p99Nanos"), true));
        bench.add(new Result(name + "_calls_16", Double.parseDouble(ours.get("callsPerSecond")), "calls/s", baseline,
                Double.parseDouble(theirs.get("callsPerSecond")), false));
    }

    /** CPU time per call of the client and of the server process, with one caller and with 16. */
    private static void addCpu(Bench bench, String name, Map<String, String> ours, String baseline,
                               Map<String, String> theirs) {
        for (String side : List.of("client", "server")) {
            for (String phase : List.of("1", "16")) {
                String key = side + "Cpu" + phase;
                bench.add(new Result(name + "_" + side + "_cpu_" + phase, Double.parseDouble(ours.get(key)), "us/call",
                        baseline, Double.parseDouble(theirs.get(key)), true));
            }
        }
    }

    private static double micros(Map<String, String> m, String key) {
        return Double.parseDouble(m.get(key)) / 1000;
    }

    private Map<String, String> pair(Bench bench, String serverRole, String clientRole, List<String> jvmOptions)
            throws Exception {
        Map<String, Object> args = Map.of("warmup", bench.warmupOfAtLeast(MIN_WARMUP_SECONDS),
                "seconds", bench.seconds());
        try (ChildPair pair = ChildPair.start(bench, TransientScenario.JVM, jvmOptions, serverRole, Map.of(),
                clientRole, args)) {
            Child server = pair.listener();
            Child client = pair.dialler();
            Duration timeout = bench.runTimeout().plus(bench.runTimeout());
            // CPU of both processes over each window, sampled when the client marks its start and end
            long[] cpu = new long[8];
            for (int i = 0; i < 4; i++) {
                client.await("MARK", timeout);
                cpu[2 * i] = client.cpuNanos();
                cpu[2 * i + 1] = server.cpuNanos();
            }
            Map<String, String> m = new LinkedHashMap<>(client.await("MEASURED", timeout));
            double single = Math.max(1, Double.parseDouble(m.get("calls")));
            double multi = Math.max(1, Double.parseDouble(m.get("concurrentCalls")));
            m.put("clientCpu1", String.valueOf((cpu[2] - cpu[0]) / single / 1000));
            m.put("serverCpu1", String.valueOf((cpu[3] - cpu[1]) / single / 1000));
            m.put("clientCpu16", String.valueOf((cpu[6] - cpu[4]) / multi / 1000));
            m.put("serverCpu16", String.valueOf((cpu[7] - cpu[5]) / multi / 1000));
            bench.note(String.format(Locale.ROOT, "rpc_roundtrip %s%s: median %.1f us, p99 %.1f us over %s calls;"
                            + " %s calls/s with %d callers; CPU per call (client + server) %.1f + %.1f us with one"
                            + " caller, %.1f + %.1f us with %d", clientRole, jvmOptions.isEmpty() ? "" : " " + jvmOptions,
                    Double.parseDouble(m.get("medianNanos")) / 1000, Double.parseDouble(m.get("p99Nanos")) / 1000,
                    m.get("calls"), m.get("callsPerSecond"), CALLERS, Double.parseDouble(m.get("clientCpu1")),
                    Double.parseDouble(m.get("serverCpu1")), Double.parseDouble(m.get("clientCpu16")),
                    Double.parseDouble(m.get("serverCpu16")), CALLERS));
            return m;
        }
    }

    static void roles(Map<String, BenchMain.RoleMain> roles) {
        roles.put("rpc-server", RpcScenario::snakemqServer);
        roles.put("rpc-client", RpcScenario::snakemqClient);
        roles.put("zmq-rep", RpcScenario::zmqServer);
        roles.put("zmq-req", RpcScenario::zmqClient);
        roles.put("grpc-server", RpcScenario::grpcServer);
        roles.put("grpc-client", RpcScenario::grpcClient);
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
        Role.report("MARK", "window", "single_start");
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
        Role.report("MARK", "window", "single_end");
        Arrays.sort(latencies, 0, count);
        long median = latencies[count / 2];
        long p99 = latencies[Math.min(count - 1, (int) Math.ceil(count * 0.99) - 1)];

        AtomicLong calls = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(CALLERS);
        for (int t = 0; t < CALLERS; t++) {
            Caller caller = callers.get();
            Role.startDaemon("caller-" + t, () -> {
                try {
                    long v = 0;
                    while (!stop.get()) {
                        caller.call(v++);
                        if (measuring.get()) {
                            calls.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    Role.reportFailure(e);
                } finally {
                    done.countDown();
                }
            });
        }
        Role.sleepSeconds(Math.min(warmup, 1));
        long c0 = calls.get();
        Role.report("MARK", "window", "multi_start");
        measuring.set(true);
        long t0 = System.nanoTime();
        Role.sleepSeconds(seconds);
        measuring.set(false);
        long t1 = System.nanoTime();
        Role.report("MARK", "window", "multi_end");
        long concurrent = calls.get() - c0;
        stop.set(true);
        Role.report("MEASURED", "medianNanos", median, "p99Nanos", p99, "calls", count, "concurrentCalls", concurrent,
                "callsPerSecond", String.format(Locale.ROOT, "%.0f", concurrent * 1e9 / (t1 - t0)));
    }

    // ---------------------------------------------------------------- snakeMQ (RpcServer / RpcClient)

    /** A link and messaging as {@code identity}, with an instance of the RPC class {@code className} on them. */
    private record RpcEnd(Link link, Messaging messaging, Class<?> type, Object instance) {

        static RpcEnd create(String identity, String className) throws Exception {
            Link link = new Link(TransientScenario.linkOptions());
            Messaging messaging = new Messaging(identity, "", new Packeter(link));
            Class<?> type = Optional.load(className);
            Object instance = type.getConstructor(ReceiveHook.class).newInstance(new ReceiveHook(messaging));
            return new RpcEnd(link, messaging, type, instance);
        }
    }

    private static void snakemqServer(Role role) throws Exception {
        RpcEnd server = RpcEnd.create("server", Optional.RPC_SERVER);
        server.type().getMethod("register", String.class, Object.class).invoke(server.instance(), "bench",
                Boolean.getBoolean(NON_BLOCKING) ? new NonBlockingBenchService() : new BenchService());
        InetSocketAddress bound = server.link().addListener(new InetSocketAddress("127.0.0.1", 0));
        server.link().start();
        Role.report("READY", "target", bound.getPort());
        new CountDownLatch(1).await(); // serves until the parent ends this process
    }

    private static void snakemqClient(Role role) throws Exception {
        RpcEnd end = RpcEnd.create("client", Optional.RPC_CLIENT);
        Object client = end.instance();
        end.type().getMethod("setDefaultTimeout", Duration.class).invoke(client, Duration.ofSeconds(30));
        Method call = end.type().getMethod("call", String.class, String.class, String.class, Object[].class);
        role.dial(end.link(), end.messaging(), "server");
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


    // ---------------------------------------------------------------- gRPC (Netty transport, unary)

    /** Bytes as they are: the 8-byte echo needs no protobuf. */
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Bench", "Echo"))
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    /**
     * A gRPC server with its defaults (calls run on its own executor, as RpcServer runs them off the
     * loop), or with {@link #DIRECT_EXECUTOR}.
     */
    private static void grpcServer(Role role) throws Exception {
        ServerServiceDefinition service = ServerServiceDefinition.builder("bench.Bench")
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(request);
                    response.onCompleted();
                }))
                .build();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(service);
        if (Boolean.getBoolean(DIRECT_EXECUTOR)) {
            builder.directExecutor();
        }
        Server server = builder.build().start();
        Role.report("READY", "target", server.getPort());
        server.awaitTermination();
    }

    private static void grpcClient(Role role) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", role.integer("target")).usePlaintext()
                .build();
        measure(role, () -> value -> {
            byte[] request = java.nio.ByteBuffer.allocate(8).putLong(value).array();
            byte[] reply = ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, request);
            if (java.nio.ByteBuffer.wrap(reply).getLong() != value) {
                throw new IllegalStateException("echo returned another value for " + value);
            }
        });
    }
}
