package org.snakemq.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that damages the byte stream between two peers the way networks do: it
 * cuts connections with a reset after a random number of bytes (so cuts land anywhere, mid-packet
 * included), stalls a direction for a while, delays every write, and splits data into small writes
 * (down to one byte per write). All randomness comes from one seeded {@link Random}, so a run's
 * fault plan is reproducible up to thread timing.
 *
 * <p>Plain blocking sockets, two threads per proxied connection: simple enough to trust as a test
 * instrument.
 */
public final class FaultProxy implements AutoCloseable {

    /**
     * What to do to the traffic.
     *
     * @param maxChunk    the largest single write; each write takes a random size from 1 to this
     * @param chunkDelay  a pause before every write (zero for none)
     * @param cutMinBytes with {@code cutMaxBytes}: each connection is reset after a random number of
     *                    bytes (both directions together) in this range; 0 = never cut
     * @param cutMaxBytes see {@code cutMinBytes}
     * @param stallChance the chance, per read, that the direction stalls before forwarding
     * @param maxStall    the longest stall (a random length up to this)
     */
    public record Faults(int maxChunk, Duration chunkDelay, long cutMinBytes, long cutMaxBytes,
                         double stallChance, Duration maxStall) {

        public Faults {
            if (maxChunk < 1 || cutMinBytes < 0 || cutMaxBytes < cutMinBytes) {
                throw new IllegalArgumentException("bad faults");
            }
        }

        /** Forward faithfully. */
        public static Faults none() {
            return new Faults(64 * 1024, Duration.ZERO, 0, 0, 0, Duration.ZERO);
        }

        public Faults withCuts(long minBytes, long maxBytes) {
            return new Faults(maxChunk, chunkDelay, minBytes, maxBytes, stallChance, maxStall);
        }

        public Faults withFragments(int max, Duration delay) {
            return new Faults(max, delay, cutMinBytes, cutMaxBytes, stallChance, maxStall);
        }

        public Faults withStalls(double chance, Duration max) {
            return new Faults(maxChunk, chunkDelay, cutMinBytes, cutMaxBytes, chance, max);
        }
    }

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Random random;
    private final Faults faults;
    private final Set<Pipe> pipes = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong cuts = new AtomicLong();
    private final AtomicLong stalls = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean closed;

    /** Listens on a free loopback port and forwards every connection to {@code target}. */
    public FaultProxy(InetSocketAddress target, Faults faults, long seed) throws IOException {
        this.target = Objects.requireNonNull(target, "target");
        this.faults = Objects.requireNonNull(faults, "faults");
        this.random = new Random(seed);
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Where peers connect to reach the target through the proxy. */
    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** Connections accepted so far. */
    public long connections() {
        return connections.get();
    }

    /** Connections reset by the proxy so far. */
    public long cuts() {
        return cuts.get();
    }

    /** Stalls injected so far. */
    public long stalls() {
        return stalls.get();
    }

    /** Socket writes made so far (each a fragment of what was read). */
    public long writes() {
        return writes.get();
    }

    /** Bytes forwarded so far, both directions. */
    public long bytes() {
        return bytes.get();
    }

    /**
     * Arms a cut on every open connection: each is reset after a random number of further bytes, from
     * 0 to {@code maxBytes}, so the cut lands at a random position in the stream (mid-packet
     * included). Returns how many connections were armed.
     */
    public int armCuts(long maxBytes) {
        int armed = 0;
        for (Pipe pipe : pipes) {
            if (pipe.arm(nextLong(0, maxBytes))) {
                cuts.incrementAndGet();
            }
            armed++;
        }
        return armed;
    }

    /** Resets every open connection now. */
    public void cutAll() {
        for (Pipe pipe : pipes) {
            if (pipe.cut()) {
                cuts.incrementAndGet();
            }
        }
    }

    private long nextLong(long min, long max) {
        synchronized (random) {
            return min + (max > min ? (long) (random.nextDouble() * (max - min + 1)) : 0);
        }
    }

    private double nextDouble() {
        synchronized (random) {
            return random.nextDouble();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            connections.incrementAndGet();
            Socket upstream = new Socket();
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(target, 5000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            long budget = faults.cutMaxBytes() == 0 ? Long.MAX_VALUE
                    : nextLong(faults.cutMinBytes(), faults.cutMaxBytes());
            Pipe pipe = new Pipe(client, upstream, budget);
            pipes.add(pipe);
            pipe.start();
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Pipe pipe : pipes) {
            pipe.cut();
        }
        try {
            acceptor.join(5000);
            for (Pipe pipe : pipes) {
                pipe.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pipes.clear();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing a broken socket
        }
    }

    /** One proxied connection: two sockets, two forwarding threads, one shared byte budget. */
    private final class Pipe {
        private final Socket client;
        private final Socket upstream;
        private final Thread up;
        private final Thread down;
        private long budget;
        private boolean cut;

        Pipe(Socket client, Socket upstream, long budget) {
            this.client = client;
            this.upstream = upstream;
            this.budget = budget;
            long n = connections.get();
            this.up = new Thread(() -> forward(client, upstream), "fault-proxy-" + n + "-up");
            this.down = new Thread(() -> forward(upstream, client), "fault-proxy-" + n + "-down");
            up.setDaemon(true);
            down.setDaemon(true);
        }

        void start() {
            up.start();
            down.start();
        }

        void join() throws InterruptedException {
            up.join(5000);
            down.join(5000);
        }

        /** Takes up to {@code want} bytes of the budget; 0 once cut. */
        private synchronized int take(int want) {
            if (cut) {
                return 0;
            }
            long allowed = Math.min(want, budget);
            budget -= allowed;
            return (int) allowed;
        }

        /** Lowers the budget to {@code bytes}; returns whether that cut the connection at once. */
        boolean arm(long bytes) {
            synchronized (this) {
                budget = Math.min(budget, bytes);
                if (budget > 0) {
                    return false;
                }
            }
            return cut();
        }

        private synchronized boolean exhausted() {
            return budget == 0;
        }

        /** Resets both sockets (RST, not FIN); returns whether this call did it. */
        boolean cut() {
            synchronized (this) {
                if (cut) {
                    return false;
                }
                cut = true;
            }
            for (Socket socket : new Socket[] {client, upstream}) {
                try {
                    socket.setSoLinger(true, 0);
                } catch (SocketException ignored) {
                    // already closed
                }
                closeQuietly(socket);
            }
            pipes.remove(this);
            return true;
        }

        private void forward(Socket from, Socket to) {
            byte[] buffer = new byte[64 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (faults.stallChance() > 0 && nextDouble() < faults.stallChance()) {
                        stalls.incrementAndGet();
                        LockSupport.parkNanos(nextLong(0, faults.maxStall().toNanos()));
                    }
                    int offset = 0;
                    while (offset < read) {
                        int chunk = (int) nextLong(1, Math.min(faults.maxChunk(), read - offset));
                        int allowed = take(chunk);
                        if (allowed > 0) {
                            if (!faults.chunkDelay().isZero()) {
                                LockSupport.parkNanos(faults.chunkDelay().toNanos());
                            }
                            out.write(buffer, offset, allowed);
                            writes.incrementAndGet();
                            bytes.addAndGet(allowed);
                            offset += allowed;
                        }
                        if (allowed < chunk || exhausted()) {
                            if (cut()) {
                                cuts.incrementAndGet();
                            }
                            return;
                        }
                    }
                }
                // orderly end from one side: pass it on as a full close
                cut();
            } catch (IOException e) {
                cut();
            }
        }
    }
}
