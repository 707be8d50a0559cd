package org.snakemq.bench;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import org.snakemq.link.Link;
import org.snakemq.link.LinkOptions;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.packeter.Packeter;

/**
 * One sender peer to one receiver peer, transient messages of one size, counted at the receiver;
 * beside a raw socket writing length-prefixed frames in 64 KiB batches and JeroMQ PUSH/PULL.
 */
final class TransientScenario {

    static final List<String> JVM = List.of("-Xms512m", "-Xmx1g");
    /**
     * Warm-up before the measured window. With three busy threads on two cores the JIT's compiler
     * threads compete for CPU and still compile hot Netty and messaging methods several seconds in; a
     * shorter warm-up measures compilation, not steady throughput. Both baselines get the same warm-up.
     */
    static final double MIN_WARMUP_SECONDS = 5;

    private final String name;
    private final int size;

    TransientScenario(String name, int size) {
        this.name = name;
        this.size = size;
    }

    void run(Bench bench) throws Exception {
        double snakemq = rate(bench, "smq-recv", "smq-send");
        bench.shared().put("snakemq_1to1_" + size, snakemq);
        if (bench.skipBaselines()) {
            bench.note(name + ": baselines skipped (--skip-baselines), no RESULT line");
            return;
        }
        double raw = rate(bench, "raw-recv", "raw-send");
        double zmq = rate(bench, "zmq-pull", "zmq-push");
        report(bench, name, "msg/s", snakemq, raw, zmq, 1);
        if (size > 100) {
            report(bench, name + "_mb", "MB/s", snakemq, raw, zmq, size / 1e6);
        }
    }

    static Scenario scenario(String name, int size) {
        return new Scenario(name, "1 sender -> 1 receiver, " + size + "-byte transient messages (msg/s"
                + (size > 100 ? ", MB/s" : "") + "), after at least " + (int) MIN_WARMUP_SECONDS
                + " s of warm-up; baselines raw socket, JeroMQ PUSH/PULL", new TransientScenario(name, size)::run);
    }

    private static void report(Bench bench, String name, String unit, double snakemq, double raw, double zmq,
                               double scale) {
        bench.add(new Result(name, snakemq * scale, unit, "raw_socket", raw * scale, false));
        bench.add(new Result(name, snakemq * scale, unit, "jeromq_push_pull", zmq * scale, false));
    }

    /** Messages per second counted at the receiver. */
    double rate(Bench bench, String receiverRole, String senderRole) throws Exception {
        Map<String, Object> args = Map.of("size", size, "warmup", bench.warmupOfAtLeast(MIN_WARMUP_SECONDS),
                "seconds", bench.seconds());
        try (ChildPair pair = ChildPair.start(bench, JVM, List.of(), receiverRole, args, senderRole,
                Map.of("size", size))) {
            Map<String, String> measured = pair.listener().await("MEASURED", bench.runTimeout());
            double rate = Child.perSecond(measured);
            double cpuPerMessage = Child.perMessage(measured, "cpuNanos");
            double userPerMessage = Child.perMessage(measured, "userNanos");
            bench.note(String.format(java.util.Locale.ROOT, "%s %s -> %s: %.0f msg/s, receiver CPU %.0f ns/msg"
                    + " (%.0f of it in user mode)", name, senderRole, receiverRole, rate, cpuPerMessage, userPerMessage));
            bench.shared().put(receiverRole + "_cpu_" + size, cpuPerMessage);
            if (userPerMessage >= 0) {
                bench.shared().put(receiverRole + "_user_" + size, userPerMessage);
            }
            return rate;
        }
    }

    static void roles(Map<String, BenchMain.RoleMain> roles) {
        roles.put("smq-recv", TransientScenario::snakemqReceiver);
        roles.put("smq-send", TransientScenario::snakemqSender);
        roles.put("raw-recv", TransientScenario::rawReceiver);
        roles.put("raw-send", TransientScenario::rawSender);
        roles.put("zmq-pull", TransientScenario::zmqReceiver);
        roles.put("zmq-push", TransientScenario::zmqSender);
    }

    // ---------------------------------------------------------------- snakeMQ

    /** Counts on the loop thread; publishes with a release store (no fence on the hot path). */
    static final class Counter {
        private long count;
        final AtomicLong published = new AtomicLong();

        void increment() {
            published.lazySet(++count);
        }

        long get() {
            return published.get();
        }
    }

    private static void snakemqReceiver(Role role) throws Exception {
        Link link = new Link(linkOptions());
        Messaging messaging = new Messaging("receiver", "", new Packeter(link), null, receiverOptions());
        Counter counter = new Counter();
        messaging.onMessageReceived().add((conn, ident, message) -> counter.increment());
        InetSocketAddress bound = link.addListener(new InetSocketAddress("127.0.0.1", 0));
        link.start();
        Role.report("READY", "target", bound.getPort());
        Role.measure(counter::get, role.decimal("warmup"), role.decimal("seconds"));
    }

    /**
     * The receiver's messaging options. For diagnosis only, {@code -Dsnakemq.bench.duplicateMemory=N}
     * (with the window at half of it) or {@code -Dsnakemq.bench.acknowledgements=false} (plain protocol
     * 1, no duplicate suppression) change them; the RESULT lines are then not comparable with the
     * product goals.
     */
    static MessagingOptions receiverOptions() {
        MessagingOptions options = MessagingOptions.defaults();
        Integer duplicateMemory = Integer.getInteger("snakemq.bench.duplicateMemory");
        if (duplicateMemory != null) {
            options = options.withDuplicateMemory(duplicateMemory).withWindow(Math.max(1, duplicateMemory / 2));
        }
        String acknowledgements = System.getProperty("snakemq.bench.acknowledgements");
        if (acknowledgements != null) {
            options = options.withAcknowledgements(Boolean.parseBoolean(acknowledgements));
        }
        return options;
    }

    /**
     * Link options; for diagnosis only, {@code -Dsnakemq.bench.spinMicros=N} changes the spin limit and
     * {@code -Dsnakemq.bench.nativeTransport=false} runs on Java NIO instead of epoll.
     */
    static LinkOptions linkOptions() {
        LinkOptions options = LinkOptions.defaults()
                .withNativeTransport(Boolean.parseBoolean(System.getProperty("snakemq.bench.nativeTransport", "true")));
        Integer spin = Integer.getInteger("snakemq.bench.spinMicros");
        return spin == null ? options : options.withSpinLimit(Duration.ofNanos(spin * 1000L));
    }

    /** The sender's messaging options; for diagnosis only, {@code -Dsnakemq.bench.window=N} changes its window. */
    static MessagingOptions senderOptions() {
        Integer window = Integer.getInteger("snakemq.bench.window");
        return window == null ? MessagingOptions.defaults() : MessagingOptions.defaults().withWindow(window);
    }

    /** Messages with cheap random ids (UUID.randomUUID draws from SecureRandom). */
    static Message message(SplittableRandom random, byte[] data) {
        return new Message(new UUID(random.nextLong(), random.nextLong()), data, null, 0);
    }

    private static void snakemqSender(Role role) throws Exception {
        int size = role.integer("size");
        Link link = new Link(linkOptions());
        Messaging messaging = new Messaging("sender", "", new Packeter(link), null, senderOptions());
        role.dial(link, messaging, "receiver");
        // bound what waits in the queue (about 16 MiB of payload); send never blocks by itself. Once
        // above the bound, wait until half of it is gone: the queue holds milliseconds of work, and
        // polling it every few microseconds would take CPU from the two loop threads
        int high = Math.max(64, Math.min(100_000, (16 << 20) / size));
        int batchSize = Math.max(1, Math.min(1000, high / 10));
        byte[] data = new byte[size];
        SplittableRandom random = new SplittableRandom();
        List<Message> batch = new ArrayList<>(batchSize);
        while (true) {
            if (messaging.queueSize("receiver") > high) {
                while (messaging.queueSize("receiver") > high / 2) {
                    LockSupport.parkNanos(200_000);
                }
            }
            batch.clear();
            for (int i = 0; i < batchSize; i++) {
                batch.add(message(random, data));
            }
            messaging.sendAll("receiver", batch);
        }
    }

    // ---------------------------------------------------------------- raw socket

    private static void rawReceiver(Role role) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Role.report("READY", "target", ((InetSocketAddress) server.getLocalAddress()).getPort());
        AtomicLong frames = new AtomicLong();
        Role.startDaemon("raw-reader", () -> {
            try (SocketChannel channel = server.accept()) {
                readFrames(channel, frames);
            } catch (Exception e) {
                Role.reportFailure(e);
            }
        });
        Role.measure(frames::get, role.decimal("warmup"), role.decimal("seconds"));
    }

    /** Splits the stream into [4-byte length][payload] frames and counts them. */
    private static void readFrames(SocketChannel channel, AtomicLong frames) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        long count = 0;
        long skip = 0;      // payload bytes left of the current frame
        int header = 0;
        int headerBytes = 0;
        boolean inPayload = false;
        while (channel.read(buffer) >= 0) {
            buffer.flip();
            while (buffer.hasRemaining()) {
                if (inPayload) {
                    int n = (int) Math.min(skip, buffer.remaining());
                    buffer.position(buffer.position() + n);
                    skip -= n;
                    if (skip == 0) {
                        inPayload = false;
                        count++;
                    }
                } else if (headerBytes == 0 && buffer.remaining() >= 4) {
                    skip = buffer.getInt() & 0xFFFFFFFFL;
                    inPayload = skip > 0;
                    if (!inPayload) {
                        count++;
                    }
                } else {
                    header = (header << 8) | (buffer.get() & 0xFF);
                    if (++headerBytes == 4) {
                        skip = header & 0xFFFFFFFFL;
                        header = 0;
                        headerBytes = 0;
                        inPayload = skip > 0;
                        if (!inPayload) {
                            count++;
                        }
                    }
                }
            }
            buffer.clear();
            frames.lazySet(count);
        }
    }

    private static void rawSender(Role role) throws Exception {
        int size = role.integer("size");
        int frames = Math.max(1, (64 * 1024) / (size + 4));
        ByteBuffer batch = ByteBuffer.allocateDirect(frames * (size + 4));
        for (int i = 0; i < frames; i++) {
            batch.putInt(size);
            batch.position(batch.position() + size);
        }
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", role.integer("target")))) {
            channel.socket().setTcpNoDelay(true);
            while (true) {
                batch.clear();
                while (batch.hasRemaining()) {
                    channel.write(batch);
                }
            }
        }
    }

    // ---------------------------------------------------------------- JeroMQ

    private static void zmqReceiver(Role role) throws Exception {
        ZContext context = new ZContext();
        ZMQ.Socket pull = context.createSocket(SocketType.PULL);
        pull.bind("tcp://127.0.0.1:*");
        Role.report("READY", "target", pull.getLastEndpoint());
        AtomicLong count = new AtomicLong();
        Role.startDaemon("zmq-reader", () -> {
            long n = 0;
            while (pull.recv(0) != null) {
                count.lazySet(++n);
            }
        });
        Role.measure(count::get, role.decimal("warmup"), role.decimal("seconds"));
    }

    private static void zmqSender(Role role) throws Exception {
        byte[] data = new byte[role.integer("size")];
        ZContext context = new ZContext();
        ZMQ.Socket push = context.createSocket(SocketType.PUSH);
        push.connect(role.get("target"));
        while (true) {
            if (!push.send(data, 0)) {
                TimeUnit.MILLISECONDS.sleep(1);
            }
        }
    }
}
