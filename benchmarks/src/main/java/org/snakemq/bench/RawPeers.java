package org.snakemq.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import org.snakemq.link.ReconnectBackoff;

/**
 * Light load peers: many identified peers per JVM on one or two selector threads, each a plain TCP
 * connection speaking the wire protocol itself (PROTOCOL.md parts A to C): PROTOCOL_VERSION,
 * CAPABILITIES (acknowledgements, ACK_UPTO and FIRST_SENDS, like a peer of this project),
 * IDENTIFICATION, FIRST_SENDS 1 (nothing they send was sent before), then MESSAGE frames with fresh
 * random ids. What the hub sends back (its handshake, acknowledgements) is
 * read and dropped. A lost connection is dialled again with the core's {@link ReconnectBackoff}
 * rule (the same waits a {@code Link} connector takes), and the waits actually taken are recorded.
 *
 * <p>Commands from the parent: {@code SEND} (send as fast as the sockets take it), {@code SEND
 * <rate>} (send about {@code rate} messages a second in total, in batches spread over the peers in
 * turn), {@code QUIET} (stop sending), {@code STATS}.
 */
final class RawPeers {

    private static final int BATCH = 64;

    // the wire protocol's numbers (PROTOCOL.md parts B and C), as any peer written from the spec has them
    private static final int PROTOCOL_VERSION = 0;
    private static final int IDENTIFICATION = 2;
    private static final int MESSAGE = 3;
    private static final int CAPABILITIES = 0x40;
    private static final int VERSION = 1;
    private static final int CAP_ACK = 0x1;
    private static final int CAP_ACK_UPTO = 0x2;
    private static final int CAP_FIRST_SENDS = 0x8;
    private static final int FIRST_SENDS = 0x44;
    private static final long TTL_INFINITE = 0xFFFFFFFFL;
    /** uuid, ttl and flags before a message's data. */
    private static final int MESSAGE_HEADER = 16 + 4 + 4;

    private static volatile boolean sending;
    private static volatile boolean quietRequested;

    private RawPeers() {
    }

    static void roles(Map<String, BenchMain.RoleMain> roles) {
        roles.put("raw-peers", RawPeers::run);
    }

    private static void run(Role role) throws Exception {
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", role.integer("target"));
        int first = role.integer("first");
        int count = role.integer("count");
        int threads = role.integer("threads");
        int size = role.integer("size");
        boolean acks = Boolean.parseBoolean(role.get("acks"));
        ReconnectBackoff backoff = ReconnectBackoff.startingAt(Duration.ofMillis(role.integer("reconnectMillis")));
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int from = first + t * count / threads;
            int to = first + (t + 1) * count / threads;
            Worker worker = new Worker(target, from, to, size, acks, backoff);
            workers.add(worker);
            Thread thread = new Thread(worker, "raw-peers-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        while (true) {
            String[] command = Role.command().trim().split(" ");
            switch (command[0]) {
                case "SEND" -> {
                    double rate = command.length > 1 ? Double.parseDouble(command[1]) : 0;
                    for (Worker w : workers) {
                        w.pace(rate / threads);
                    }
                    sending = true;
                }
                case "QUIET" -> sending = false;
                case "STATS" -> {
                    long connected = 0;
                    long dials = 0;
                    long breaks = 0;
                    long refused = 0;
                    long minWait = Long.MAX_VALUE;
                    long maxRetries = 0;
                    long messages = 0;
                    for (Worker w : workers) {
                        connected += w.connected;
                        dials += w.dials;
                        breaks += w.breaks;
                        refused += w.refused;
                        minWait = Math.min(minWait, w.minWaitNanos);
                        maxRetries = Math.max(maxRetries, w.maxRetries);
                        messages += w.messagesWritten;
                    }
                    Role.report("STATS", "connected", connected, "dials", dials, "breaks", breaks, "refused", refused,
                            "minWaitMillis", minWait == Long.MAX_VALUE ? -1 : minWait / 1_000_000, "maxRetries",
                            maxRetries, "messages", messages, "cpuNanos", Role.processCpuNanos());
                }
                default -> throw new IllegalArgumentException("unknown raw-peers command " + String.join(" ", command));
            }
        }
    }

    /** One connection and its back-off state. */
    private static final class Peer {
        final byte[] handshake;
        SocketChannel channel;
        SelectionKey key;
        ByteBuffer pending;
        boolean up;
        long dueNanos;
        /** When the last connection broke or attempt failed; 0 before the first. */
        long brokeNanos;
        long upSinceNanos = Long.MIN_VALUE;
        int retries;

        Peer(byte[] handshake) {
            this.handshake = handshake;
        }
    }

    /** One selector thread serving a slice of the peers. */
    private static final class Worker implements Runnable {
        private final InetSocketAddress target;
        private final int size;
        private final ReconnectBackoff backoff;
        private final Selector selector;
        private final List<Peer> peers = new ArrayList<>();
        private final ArrayDeque<Peer> firstDials = new ArrayDeque<>();
        private final PriorityQueue<Peer> timers = new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
        private final ByteBuffer batch;
        private final ByteBuffer scratch = ByteBuffer.allocateDirect(64 * 1024);
        private final SplittableRandom random = new SplittableRandom();
        private int dialling;
        // published to the command thread (plain longs read racily: figures, not control)
        volatile long connected;
        volatile long dials;
        volatile long breaks;
        volatile long refused;
        volatile long minWaitNanos = Long.MAX_VALUE;
        volatile long maxRetries;
        volatile long messagesWritten;
        /** This worker's share of the offered rate in batches a nanosecond, and since when; 0: unpaced. */
        private volatile double batchesPerNano;
        private volatile long pacedSince;
        /** Worker thread: the {@link #pacedSince} its count is for, and the batches written since. */
        private long countedSince;
        private long pacedBatches;
        /** The peer the next paced batch goes to. */
        private int cursor;

        Worker(InetSocketAddress target, int from, int to, int size, boolean acks, ReconnectBackoff backoff)
                throws IOException {
            this.target = target;
            this.size = size;
            this.backoff = backoff;
            this.selector = Selector.open();
            int frame = 1 + MESSAGE_HEADER + size;
            this.batch = ByteBuffer.allocateDirect(BATCH * (4 + frame));
            for (int i = from; i < to; i++) {
                Peer peer = new Peer(handshake("peer-" + i, acks));
                peers.add(peer);
                firstDials.add(peer);
            }
        }

        private static byte[] handshake(String identity, boolean acks) {
            byte[] ident = identity.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(9 + (acks ? 9 + 6 : 0) + 5 + ident.length);
            b.putInt(5).put((byte) PROTOCOL_VERSION).putInt(VERSION);
            if (acks) {
                b.putInt(5).put((byte) CAPABILITIES).putInt(CAP_ACK | CAP_ACK_UPTO | CAP_FIRST_SENDS);
            }
            b.putInt(1 + ident.length).put((byte) IDENTIFICATION).put(ident);
            if (acks) {
                b.putInt(2).put((byte) FIRST_SENDS).put((byte) 1);
            }
            return b.array();
        }

        @Override
        public void run() {
            try {
                loop();
            } catch (Exception e) {
                Role.report("FAILED", "reason", String.valueOf(e).replace(' ', '_'));
            }
        }

        private void loop() throws IOException {
            while (true) {
                long now = System.nanoTime();
                // the first connection of every peer, at most 128 attempts open at once
                while (dialling < 128 && !firstDials.isEmpty()) {
                    dial(firstDials.poll(), now);
                }
                while (!timers.isEmpty() && timers.peek().dueNanos <= now) {
                    dial(timers.poll(), now);
                }
                boolean wrote = false;
                boolean paced = batchesPerNano > 0;
                if (sending && !paced) {
                    for (Peer peer : peers) {
                        if (peer.up && peer.pending == null) {
                            wrote |= writeBatch(peer);
                        }
                    }
                } else if (sending) {
                    writePaced(now);
                }
                int ready;
                if (wrote) {
                    ready = selector.selectNow();
                } else {
                    long wait = 10;
                    if (!timers.isEmpty()) {
                        wait = Math.max(1, Math.min(wait, (timers.peek().dueNanos - now) / 1_000_000));
                    }
                    ready = selector.select(sending ? 1 : wait);
                }
                if (ready > 0) {
                    for (SelectionKey key : selector.selectedKeys()) {
                        handle((Peer) key.attachment(), key);
                    }
                    selector.selectedKeys().clear();
                }
            }
        }

        private void dial(Peer peer, long now) {
            dials++;
            if (peer.brokeNanos != 0) {
                long waited = now - peer.brokeNanos;
                if (waited < minWaitNanos) {
                    minWaitNanos = waited;
                }
            }
            try {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                peer.channel = channel;
                dialling++;
                if (channel.connect(target)) {
                    connectedNow(peer);
                } else {
                    peer.key = channel.register(selector, SelectionKey.OP_CONNECT, peer);
                }
            } catch (IOException e) {
                failed(peer);
            }
        }

        private void handle(Peer peer, SelectionKey key) {
            if (!key.isValid()) {
                return;
            }
            try {
                if (key.isConnectable()) {
                    if (peer.channel.finishConnect()) {
                        connectedNow(peer);
                    }
                    return;
                }
                if (key.isReadable()) {
                    scratch.clear();
                    int n;
                    while ((n = peer.channel.read(scratch)) > 0) {
                        scratch.clear();
                    }
                    if (n < 0) {
                        failed(peer);
                        return;
                    }
                }
                if (key.isValid() && key.isWritable() && peer.pending != null) {
                    peer.channel.write(peer.pending);
                    if (!peer.pending.hasRemaining()) {
                        peer.pending = null;
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
            } catch (IOException e) {
                failed(peer);
            }
        }

        private void connectedNow(Peer peer) throws IOException {
            if (peer.key == null) {
                peer.key = peer.channel.register(selector, SelectionKey.OP_READ, peer);
            } else {
                peer.key.interestOps(SelectionKey.OP_READ);
            }
            dialling--;
            peer.up = true;
            peer.upSinceNanos = System.nanoTime();
            connected++;
            ByteBuffer hello = ByteBuffer.wrap(peer.handshake);
            peer.channel.write(hello);
            if (hello.hasRemaining()) {
                keep(peer, hello);
            }
        }

        /** Starts offering {@code messagesPerSecond} (0: as fast as the sockets take them) from now on. */
        void pace(double messagesPerSecond) {
            pacedSince = System.nanoTime();
            batchesPerNano = messagesPerSecond / BATCH / 1e9;
        }

        /**
         * Writes the batches due by now, one per peer in turn; a peer that cannot take one is skipped.
         * A sender that falls behind catches up at most one pass over the peers per loop turn.
         */
        private void writePaced(long now) {
            long since = pacedSince;
            if (since != countedSince) {
                countedSince = since;
                pacedBatches = 0;
            }
            long due = (long) ((now - since) * batchesPerNano) - pacedBatches;
            for (int tried = 0; due > 0 && tried < peers.size(); tried++) {
                Peer peer = peers.get(cursor);
                cursor = (cursor + 1) % peers.size();
                if (peer.up && peer.pending == null && writeBatch(peer)) {
                    pacedBatches++;
                    due--;
                }
            }
        }

        /** Writes one batch of messages; false when the socket took nothing. */
        private boolean writeBatch(Peer peer) {
            int frame = 1 + MESSAGE_HEADER + size;
            batch.clear();
            for (int i = 0; i < BATCH; i++) {
                int at = i * (4 + frame);
                batch.putInt(at, frame);
                batch.put(at + 4, (byte) MESSAGE);
                batch.putLong(at + 5, random.nextLong());
                batch.putLong(at + 13, random.nextLong());
                batch.putInt(at + 21, (int) TTL_INFINITE);
                batch.putInt(at + 25, 0);
            }
            try {
                int written = peer.channel.write(batch);
                if (batch.hasRemaining()) {
                    keep(peer, batch);
                }
                messagesWritten += BATCH;
                return written > 0;
            } catch (IOException e) {
                failed(peer);
                return false;
            }
        }

        private void keep(Peer peer, ByteBuffer rest) {
            ByteBuffer copy = ByteBuffer.allocate(rest.remaining());
            copy.put(rest).flip();
            peer.pending = copy;
            peer.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }

        private void failed(Peer peer) {
            if (peer.up) {
                connected--;
                breaks++;
            } else {
                dialling--;
                refused++;
            }
            try {
                peer.channel.close();
            } catch (IOException e) {
                // gone either way
            }
            long now = System.nanoTime();
            if (peer.up && now - peer.upSinceNanos >= backoff.initial().toNanos()) {
                peer.retries = 0; // the connection lasted: the back-off starts again
            }
            peer.up = false;
            peer.key = null;
            peer.pending = null;
            peer.brokeNanos = now;
            peer.dueNanos = now + backoff.delay(peer.retries, random.nextDouble()).toNanos();
            peer.retries++;
            if (peer.retries > maxRetries) {
                maxRetries = peer.retries;
            }
            timers.add(peer);
        }
    }
}
