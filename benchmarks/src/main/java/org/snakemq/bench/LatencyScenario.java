package org.snakemq.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.packeter.Packeter;

/**
 * One-way latency at fixed offered rates (10,000, 100,000 and 1,000,000 100-byte messages a second),
 * one sender to one receiver, beside JeroMQ PUSH/PULL at the same rates. Every message carries its
 * intended send time (the sender's schedule, start + i / rate, on the machine-wide monotonic clock
 * that {@link System#nanoTime()} reads on Linux), and the receiver records now minus that time in an
 * HdrHistogram: a sender that falls behind, or a stall anywhere, counts against every message it
 * delays (coordinated omission corrected), instead of pausing the clock. A second baseline, a raw
 * socket on the same schedule (blocking threads, no framework: one write per due batch, one reader),
 * is the floor of the machine: what its scheduler and loopback cost any library.
 */
final class LatencyScenario {

    static final int SIZE = 100;
    static final int[] RATES = {10_000, 100_000, 1_000_000};
    /** The most messages a snakeMQ sender lets wait in its queue before it waits itself. */
    private static final int QUEUE_BOUND = 1_000_000;
    /** The baseline of the charts and the goals. */
    static final String JEROMQ = "jeromq_push_pull";

    void run(Bench bench) throws Exception {
        // for diagnosis: -Dsnakemq.bench.rates=10000,100000 runs only those rates
        String only = System.getProperty("snakemq.bench.rates");
        int[] rates = only != null ? java.util.Arrays.stream(only.split(",")).mapToInt(Integer::parseInt).toArray()
                : bench.quick() ? new int[] {RATES[0]} : RATES; // the smoke run: one rate
        for (int rate : rates) {
            Map<String, String> ours = pair(bench, "lat-smq-recv", "lat-smq-send", rate, List.of());
            Map<String, String> spin0 = bench.quick() ? ours : pair(bench, "lat-smq-recv", "lat-smq-send", rate,
                    List.of("-Dsnakemq.bench.spinMicros=0"));
            Map<String, String> zmq = pair(bench, "lat-zmq-pull", "lat-zmq-push", rate, List.of());
            Map<String, String> raw = pair(bench, "lat-raw-recv", "lat-raw-send", rate, List.of());
            String label = label(rate);
            for (String p : List.of("p50", "p99", "p999", "max")) {
                bench.add(new Result("latency_" + label + "_" + p, micros(ours.get(p)), "us", JEROMQ,
                        micros(zmq.get(p)), true));
            }
            for (String p : List.of("p50", "p99", "p999")) {
                bench.add(new Result("latency_" + label + "_" + p, micros(ours.get(p)), "us", "raw_socket",
                        micros(raw.get(p)), true));
            }
            for (String p : List.of("p50", "p99", "p999")) {
                bench.add(new Result("latency_spin0_" + label + "_" + p, micros(spin0.get(p)), "us",
                        JEROMQ, micros(zmq.get(p)), true));
            }
        }
    }

    static Scenario scenario() {
        return new Scenario("latency",
                "one-way latency p50/p99/p99.9/max of 100-byte messages at 10k, 100k, 1M msg/s offered, from the"
                        + " intended send time (HdrHistogram); baselines JeroMQ PUSH/PULL and a raw socket (the floor)",
                new LatencyScenario()::run);
    }

    static String label(int rate) {
        return rate >= 1_000_000 ? rate / 1_000_000 + "m" : rate / 1000 + "k";
    }

    private static double micros(String nanos) {
        return Math.max(0.001, Double.parseDouble(nanos) / 1000);
    }

    private static Map<String, String> pair(Bench bench, String receiverRole, String senderRole, int rate,
                                            List<String> jvmOptions) throws Exception {
        Map<String, Object> args = Map.of("warmup", bench.warmupOfAtLeast(TransientScenario.MIN_WARMUP_SECONDS),
                "seconds", bench.seconds());
        try (ChildPair pair = ChildPair.start(bench, TransientScenario.JVM, jvmOptions, receiverRole, args, senderRole,
                Map.of("rate", rate))) {
            Map<String, String> m = pair.listener().await("MEASURED", bench.runTimeout());
            bench.note(String.format(Locale.ROOT, "latency %s%s at %d msg/s offered: %s messages in the window"
                            + " (%.0f msg/s), p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us", senderRole,
                    jvmOptions.isEmpty() ? "" : " " + jvmOptions, rate,
                    m.get("count"), Child.perSecond(m),
                    micros(m.get("p50")), micros(m.get("p99")), micros(m.get("p999")), micros(m.get("max"))));
            return m;
        }
    }

    static void roles(Map<String, BenchMain.RoleMain> roles) {
        roles.put("lat-smq-recv", LatencyScenario::snakemqReceiver);
        roles.put("lat-smq-send", LatencyScenario::snakemqSender);
        roles.put("lat-zmq-pull", LatencyScenario::zmqReceiver);
        roles.put("lat-zmq-push", LatencyScenario::zmqSender);
        roles.put("lat-raw-recv", LatencyScenario::rawReceiver);
        roles.put("lat-raw-send", LatencyScenario::rawSender);
    }

    /** Latencies of the messages that arrive within the window; one recording thread. */
    static final class Recorder {
        private final Histogram histogram = new Histogram(3_600_000_000_000L, 3);
        private final AtomicBoolean recording = new AtomicBoolean();
        private final TransientScenario.Counter counter = new TransientScenario.Counter();

        void received(byte[] data) {
            counter.increment();
            if (recording.get()) {
                long latency = System.nanoTime() - readLong(data);
                histogram.recordValue(Math.max(0, latency));
            }
        }

        /** After the first message and the warm-up, records over the window, then reports. */
        void measure(Role role) throws InterruptedException {
            if (!Role.await(() -> counter.get() > 0, Duration.ofSeconds(60))) {
                throw new IllegalStateException("nothing received within 60 s");
            }
            Role.sleepSeconds(role.decimal("warmup"));
            long c0 = counter.get();
            long t0 = System.nanoTime();
            recording.set(true);
            Role.sleepSeconds(role.decimal("seconds"));
            recording.set(false);
            long t1 = System.nanoTime();
            long c1 = counter.get();
            Role.sleepSeconds(0.05); // let a recording in progress finish
            Histogram h = histogram.copy();
            Role.report("MEASURED", "count", c1 - c0, "nanos", t1 - t0, "p50", h.getValueAtPercentile(50),
                    "p99", h.getValueAtPercentile(99), "p999", h.getValueAtPercentile(99.9), "max", h.getMaxValue());
        }
    }

    static long readLong(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    static void writeLong(byte[] b, long v) {
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
    }

    /**
     * The sender's schedule: message i is due at start + i / rate. Returns how many are due now, at
     * most {@code max}; waits (parks) until the next is due when none is.
     */
    static final class Schedule {
        private final long start = System.nanoTime();
        private final double intervalNanos;
        private long next;

        Schedule(int rate) {
            this.intervalNanos = 1e9 / rate;
        }

        long intended(long i) {
            return start + (long) (i * intervalNanos);
        }

        /** Index of the next message to send. */
        long next() {
            return next;
        }

        int due(int max) {
            long now = System.nanoTime();
            long dueTime = intended(next);
            if (dueTime > now) {
                long gap = dueTime - now;
                LockSupport.parkNanos(Math.min(gap, 100_000));
                return 0;
            }
            long until = (long) ((now - start) / intervalNanos) + 1;
            int n = (int) Math.min(max, until - next);
            next += n;
            return n;
        }
    }

    // ---------------------------------------------------------------- snakeMQ

    private static void snakemqReceiver(Role role) throws Exception {
        Link link = new Link(TransientScenario.linkOptions());
        Messaging messaging = new Messaging("receiver", "", new Packeter(link), null,
                TransientScenario.receiverOptions());
        Recorder recorder = new Recorder();
        messaging.onMessageReceived().add((conn, ident, message) -> recorder.received(message.data()));
        InetSocketAddress bound = link.addListener(new InetSocketAddress("127.0.0.1", 0));
        link.start();
        Role.report("READY", "target", bound.getPort());
        recorder.measure(role);
    }

    private static void snakemqSender(Role role) throws Exception {
        int rate = role.integer("rate");
        Link link = new Link(TransientScenario.linkOptions());
        Messaging messaging = new Messaging("sender", "", new Packeter(link), null, TransientScenario.senderOptions());
        role.dial(link, messaging, "receiver");
        SplittableRandom random = new SplittableRandom();
        Schedule schedule = new Schedule(rate);
        List<Message> batch = new ArrayList<>(1000);
        while (true) {
            int due = schedule.due(1000);
            if (due == 0) {
                continue;
            }
            while (messaging.queueSize("receiver") > QUEUE_BOUND) {
                LockSupport.parkNanos(100_000); // far behind: waiting shows as latency, it is not hidden
            }
            batch.clear();
            long first = schedule.next() - due;
            for (int i = 0; i < due; i++) {
                byte[] data = new byte[SIZE];
                writeLong(data, schedule.intended(first + i));
                batch.add(new Message(new UUID(random.nextLong(), random.nextLong()), data, null, 0));
            }
            messaging.sendAll("receiver", batch);
        }
    }

    // ---------------------------------------------------------------- JeroMQ PUSH/PULL

    private static void zmqReceiver(Role role) throws Exception {
        ZContext context = new ZContext();
        ZMQ.Socket pull = context.createSocket(SocketType.PULL);
        pull.bind("tcp://127.0.0.1:*");
        Role.report("READY", "target", pull.getLastEndpoint());
        Recorder recorder = new Recorder();
        Role.startDaemon("zmq-reader", () -> {
            byte[] data;
            while ((data = pull.recv(0)) != null) {
                recorder.received(data);
            }
        });
        recorder.measure(role);
    }

    private static void zmqSender(Role role) throws Exception {
        int rate = role.integer("rate");
        ZContext context = new ZContext();
        ZMQ.Socket push = context.createSocket(SocketType.PUSH);
        push.connect(role.get("target"));
        Schedule schedule = new Schedule(rate);
        while (true) {
            int due = schedule.due(1000);
            long first = schedule.next() - due;
            for (int i = 0; i < due; i++) {
                byte[] data = new byte[SIZE];
                writeLong(data, schedule.intended(first + i));
                push.send(data, 0); // blocks at the high-water mark: the delay shows as latency
            }
        }
    }

    // ---------------------------------------------------------------- raw socket

    private static void rawReceiver(Role role) throws Exception {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Role.report("READY", "target", server.getLocalPort());
        Recorder recorder = new Recorder();
        Role.startDaemon("raw-reader", () -> {
            try (Socket socket = server.accept();
                 DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024))) {
                while (true) {
                    byte[] data = new byte[in.readInt()];
                    in.readFully(data);
                    recorder.received(data);
                }
            } catch (EOFException e) {
                // the sender is gone
            } catch (Exception e) {
                Role.reportFailure(e);
            }
        });
        recorder.measure(role);
    }

    private static void rawSender(Role role) throws Exception {
        int rate = role.integer("rate");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), role.integer("target"))) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            byte[] batch = new byte[1000 * (SIZE + 4)];
            ByteBuffer frames = ByteBuffer.wrap(batch);
            Schedule schedule = new Schedule(rate);
            while (true) {
                int due = schedule.due(1000);
                if (due == 0) {
                    continue;
                }
                long first = schedule.next() - due;
                frames.clear();
                for (int i = 0; i < due; i++) {
                    frames.putInt(SIZE);
                    frames.putLong(schedule.intended(first + i));
                    frames.position(frames.position() + SIZE - Long.BYTES);
                }
                out.write(batch, 0, frames.position()); // blocks when the receiver falls behind: shows as latency
            }
        }
    }
}
