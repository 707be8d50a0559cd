package org.snakemq.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.storage.StorageException;
import org.snakemq.storage.StoredMessage;

/** {@code snakemq send}: sends messages to one peer and waits until they were delivered. */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Sends messages to a peer and waits until they were delivered.",
                "Sends each TEXT (or --count generated messages) to PEER, prints SENT <n>",
                "and exits 0 once all were delivered: acknowledged by a peer that",
                "acknowledges (snakemq-java), completely written to one that does not",
                "(the original snakeMQ).",
                "With --storage, the messages the file still holds for PEER go first and",
                "count in SENT <n>; without TEXT and --count only those are delivered.",
                "With --storage and --persistent, every message is stored before the",
                "command listens or connects; what is not delivered survives an exit",
                "(also a kill) and goes first in the next run with the same --identity",
                "and --storage.",
                "With --count and stderr on a terminal, a progress line on stderr shows",
                "how many were delivered; stdout is the same either way."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
                "0:every message delivered; SENT <n> printed",
                "1:timed out (PEER unreachable or slow), or a message's TTL ran out",
                "2:bad command line",
                "4:TLS: unusable key or certificate file, or a failed handshake",
                "5:cannot listen, storage error, other failure"})
final class SendCommand implements Callable<Integer> {

    private static final int BATCH = 10_000;

    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--to", required = true, paramLabel = "PEER", description = "The receiving peer's identity.")
    String to;

    @Option(names = "--ttl", paramLabel = "SECONDS|inf",
            description = "How long a message may wait while PEER is disconnected (default inf). 0: only "
                    + "over a live connection (the command then waits for PEER to connect).")
    Ttl ttl = Ttl.INFINITE;

    @Option(names = "--persistent", description = "Flag the messages persistent (stored, with --storage).")
    boolean persistent;

    @Option(names = "--count", paramLabel = "N",
            description = "Send N generated messages; the data of each begins with its number and a colon: "
                    + "0:, 1:, ...")
    Integer count;

    @Option(names = "--size", paramLabel = "BYTES",
            description = "Size of each generated message (default 100; never shorter than its number and colon).")
    Integer size;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Messages to send, one per argument, as UTF-8.")
    List<String> texts = new ArrayList<>();

    SendCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Console console = Main.console(spec);
        if (count != null && !texts.isEmpty()) {
            throw CliException.usage("give either TEXT or --count, not both");
        }
        if (count != null && count <= 0) {
            throw CliException.usage("--count must be positive");
        }
        if (size != null && count == null) {
            throw CliException.usage("--size needs --count");
        }
        if (size != null && size < 0) {
            throw CliException.usage("--size cannot be negative");
        }
        if (count == null && texts.isEmpty() && common.storage == null) {
            throw CliException.usage(
                    "nothing to send: give TEXT, --count N, or --storage FILE to deliver what it holds");
        }
        if (to.isEmpty() || to.length() > Messaging.MAX_IDENTITY_LENGTH) {
            throw CliException.usage("--to must have 1 to " + Messaging.MAX_IDENTITY_LENGTH + " characters");
        }
        try (Node node = Node.open(common, console);
             Progress progress = Progress.start(count != null ? terminal : Terminal.NONE, console,
                     countStored(node) + (count != null ? count : 0))) {
            Messaging messaging = node.messaging();
            Set<UUID> pending = ConcurrentHashMap.newKeySet();
            AtomicInteger delivered = new AtomicInteger();
            AtomicInteger dropped = new AtomicInteger();
            CompletableFuture<Void> done = new CompletableFuture<>();
            for (StoredMessage row : node.stored()) {
                if (row.queue().equals(to)) {
                    pending.add(row.message().uuid());
                }
            }
            int total = pending.size() + (count != null ? count : texts.size());
            messaging.onMessageSent().add((connection, peer, uuid) -> {
                if (pending.remove(uuid)) {
                    delivered.incrementAndGet();
                    progress.delivered();
                    if (pending.isEmpty()) {
                        done.complete(null);
                    }
                }
            });
            messaging.onMessageDropped().add((peer, uuid) -> {
                if (pending.remove(uuid)) {
                    dropped.incrementAndGet();
                    if (pending.isEmpty()) {
                        done.complete(null);
                    }
                }
            });
            if (!ttl.isZero()) {
                queueAll(messaging, pending);
            }
            node.start();
            if (ttl.isZero()) {
                node.awaitConnected(to, "TTL 0");
                queueAll(messaging, pending);
            }
            if (pending.isEmpty()) {
                done.complete(null);
            }
            node.await(done, true, () -> pending.size() + " of " + total + " messages not delivered; "
                    + node.whyNot(to)
                    + (persistent && node.hasStorage() ? "; the persistent ones stay stored for the next run" : ""));
            if (dropped.get() > 0) {
                throw new CliException(ExitCode.TIMEOUT, dropped.get() + " of " + total + " messages to " + to
                        + " were dropped: their TTL ran out before " + to + " took them (" + delivered.get()
                        + " delivered)");
            }
            progress.close(); // the progress line ends before stdout's last word
            console.out("SENT " + delivered.get());
            return ExitCode.OK;
        }
    }

    private int countStored(Node node) {
        int stored = 0;
        for (StoredMessage row : node.stored()) {
            if (row.queue().equals(to)) {
                stored++;
            }
        }
        return stored;
    }

    private void queueAll(Messaging messaging, Set<UUID> pending) {
        int n = count != null ? count : texts.size();
        List<Message> batch = new ArrayList<>(Math.min(n, BATCH));
        for (int i = 0; i < n; i++) {
            byte[] data = count != null ? generated(i, size == null ? 100 : size)
                    : texts.get(i).getBytes(StandardCharsets.UTF_8);
            Message message = Message.of(data).withTtl(ttl.value());
            if (persistent) {
                message = message.persistent();
            }
            pending.add(message.uuid());
            batch.add(message);
            if (batch.size() == BATCH) {
                sendAll(messaging, batch);
                batch = new ArrayList<>(BATCH);
            }
        }
        if (!batch.isEmpty()) {
            sendAll(messaging, batch);
        }
    }

    private void sendAll(Messaging messaging, List<Message> batch) {
        try {
            messaging.sendAll(to, batch);
        } catch (StorageException e) {
            throw new CliException(ExitCode.FAILURE, "storage: " + e.getMessage(), e);
        }
    }

    /** {@code "<i>:"} followed by letters up to {@code size} bytes. */
    static byte[] generated(int i, int size) {
        byte[] prefix = (i + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[Math.max(size, prefix.length)];
        System.arraycopy(prefix, 0, data, 0, prefix.length);
        for (int j = prefix.length; j < data.length; j++) {
            data[j] = (byte) ('a' + (j - prefix.length) % 26);
        }
        return data;
    }
}
