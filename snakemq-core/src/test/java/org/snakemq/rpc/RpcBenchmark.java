package org.snakemq.rpc;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.lang.reflect.Method;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.snakemq.message.Message;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.messaging.ReceiveHook;

/**
 * RPC round-trip latency and throughput between two peers on loopback, in one JVM (two links, two
 * event loops, real TCP between them), next to two baselines measured in the same run: a blocking
 * socket ping-pong and a messaging echo (no pickling, no executor hop).
 *
 * <pre>
 * ./mvnw -q -B -ntp -pl snakemq-core test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *     -Dexec.mainClass=org.snakemq.rpc.RpcBenchmark -Dexec.classpathScope=test
 * </pre>
 * Optional arguments: latency samples (default 20000), seconds per throughput run (default 3), and
 * {@code noack} to run the messaging without acknowledgements (plain protocol 1, as with an original peer).
 */
public final class RpcBenchmark {

    public interface Echo {
        int add(int a, int b);
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        MessagingOptions options = args.length > 2 && args[2].equals("noack")
                ? MessagingOptions.defaults().withAcknowledgements(false) : MessagingOptions.defaults();
        System.out.printf("RPC benchmark: two peers in one JVM over loopback TCP, %d cores, Java %s, acknowledgements %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                options.acknowledgements() ? "on" : "off");

        report("raw socket ping-pong (baseline)", socketPingPong(samples));
        report("codec only: request+reply, no I/O", codecOnly(samples));

        try (RpcPair pair = new RpcPair(null, options).start();
             RpcPair loopPair = new RpcPair(Runnable::run, options).start()) {
            EchoProbe probe = new EchoProbe(pair);
            pair.server.register("echo", (Echo) Integer::sum);
            Echo echo = pair.client.proxy("bob", "echo", Echo.class, Duration.ofSeconds(10));
            // for comparison only: methods run on the link's loop thread (an executor a user may pass for
            // methods that never block), which saves the two thread hand-offs of the default pool
            loopPair.server.register("echo", (Echo) Integer::sum);
            Echo onLoop = loopPair.client.proxy("bob", "echo", Echo.class, Duration.ofSeconds(10));

            // interleaved, so that all three see the same moments of a shared machine
            long[] echoRtt = new long[samples];
            long[] rpcRtt = new long[samples];
            long[] loopRtt = new long[samples];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < samples; i++) {
                    echoRtt[i] = probe.roundTrip();
                    long start = System.nanoTime();
                    echo.add(i, 1);
                    rpcRtt[i] = System.nanoTime() - start;
                    start = System.nanoTime();
                    onLoop.add(i, 1);
                    loopRtt[i] = System.nanoTime() - start;
                }
            }
            report("messaging echo (baseline)", echoRtt);
            report("RPC call (typed proxy)", rpcRtt);
            report("RPC call, methods on loop thread", loopRtt);

            System.out.printf("messaging echo, 16 in flight (baseline): %,.0f round trips/s%n",
                    probe.pipelined(16, Duration.ofSeconds(seconds)));
            for (int callers : new int[] {1, 16}) {
                System.out.printf("RPC throughput, %2d concurrent callers: %,.0f calls/s%n", callers,
                        throughput(echo, callers, Duration.ofSeconds(seconds)));
            }
        }
    }

    /** Encode and decode one request and its reply, as caller and server do for each call. */
    private static long[] codecOnly(int samples) throws NoSuchMethodException {
        Method add = Echo.class.getMethod("add", int.class, int.class);
        RemoteObject object = new RemoteObject("echo", (Echo) Integer::sum);
        long[] nanos = new long[samples];
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < samples; i++) {
                long start = System.nanoTime();
                byte[] reqId = new byte[16];
                byte[] request = RpcCodec.encodeRequest(new RpcRequest(false, "echo", "add", List.of(i, 1), Map.of(), reqId));
                RpcRequest decoded = RpcCodec.decodeRequest(request);
                RemoteObject.Invocation invocation = object.bind(decoded.method(), decoded.args(), decoded.kwargs());
                byte[] reply = RpcCodec.encodeReturn(decoded.reqId(), invocation.arguments()[0]);
                ValueConverter.convert(RpcCodec.decodeReply(reply).value(), add.getGenericReturnType());
                nanos[i] = System.nanoTime() - start;
            }
        }
        return nanos;
    }

    private static double throughput(Echo echo, int callers, Duration duration) throws InterruptedException {
        AtomicLong calls = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < callers; t++) {
            Thread thread = new Thread(() -> {
                try {
                    int i = 0;
                    while (System.nanoTime() < end) {
                        echo.add(i++, 1);
                        calls.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a caller failed", failure.get());
        }
        return calls.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** Messages echoed by bob on his loop thread: messaging without RPC on top. */
    private static final class EchoProbe {
        private final RpcPair pair;
        private final byte[] data = "ping-with-some-bytes-like-a-small-rpc-request".getBytes();
        private final AtomicReference<CompletableFuture<Void>> waiting = new AtomicReference<>();
        private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(0);

        EchoProbe(RpcPair pair) {
            this.pair = pair;
            new ReceiveHook(pair.bob.messaging).register("ping", (c, from, m) ->
                    pair.bob.messaging.send(from, new Message(UUID.randomUUID(), m.data(), Duration.ZERO, 0)));
            new ReceiveHook(pair.alice.messaging).register("ping", (c, from, m) -> {
                CompletableFuture<Void> w = waiting.get();
                if (w != null) {
                    w.complete(null);
                } else {
                    inFlight.release();
                }
            });
        }

        long roundTrip() throws Exception {
            CompletableFuture<Void> reply = new CompletableFuture<>();
            waiting.set(reply);
            long start = System.nanoTime();
            send();
            reply.get(10, java.util.concurrent.TimeUnit.SECONDS);
            return System.nanoTime() - start;
        }

        double pipelined(int window, Duration duration) throws InterruptedException {
            waiting.set(null);
            inFlight.release(window);
            long count = 0;
            long begin = System.nanoTime();
            long end = begin + duration.toNanos();
            while (System.nanoTime() < end) {
                inFlight.acquire();
                send();
                count++;
            }
            if (!inFlight.tryAcquire(window, 10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("echo replies missing");
            }
            return count / ((System.nanoTime() - begin) / 1e9);
        }

        private void send() {
            pair.alice.messaging.send("bob", new Message(UUID.randomUUID(), data, Duration.ZERO, 0));
        }
    }

    private static long[] socketPingPong(int samples) throws IOException, InterruptedException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.setTcpNoDelay(true);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    byte[] buffer = new byte[64];
                    while (true) {
                        in.readFully(buffer);
                        out.write(buffer);
                        out.flush();
                    }
                } catch (IOException e) {
                    // client closed
                }
            });
            echo.setDaemon(true);
            echo.start();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                s.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                byte[] buffer = new byte[64];
                long[] rtt = new long[samples];
                for (int round = 0; round < 2; round++) {
                    for (int i = 0; i < samples; i++) {
                        long start = System.nanoTime();
                        out.write(buffer);
                        out.flush();
                        in.readFully(buffer);
                        rtt[i] = System.nanoTime() - start;
                    }
                }
                return rtt;
            } finally {
                echo.join(5_000);
            }
        }
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%-34s median %6.1f us   p99 %7.1f us   (%d samples)%n", what,
                sorted[sorted.length / 2] / 1e3, sorted[(int) (sorted.length * 0.99)] / 1e3, sorted.length);
    }
}
