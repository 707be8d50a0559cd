package org.snakemq.cli;

import java.time.Duration;
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
import picocli.CommandLine.Spec;

import org.snakemq.link.Connection;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;

/** {@code snakemq listen}: prints every message that arrives. */
@Command(name = "listen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Prints the messages that arrive, one line each, flushed at once:",
                "  RECV <sender> <uuid: 32 hex digits> <ttl seconds|inf> <flags> <data>",
                "The data is UTF-8 text; \\ prints as \\\\, newline, CR and tab as \\n \\r \\t,",
                "other control characters as \\xNN. Without --count the command runs until",
                "it is stopped (or until an explicit --timeout, then exits 1)."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
                "0:--count messages received (and with --echo, echoed)",
                "1:timed out before --count messages arrived",
                "2:bad command line",
                "4:TLS: unusable key or certificate file, or a failed handshake (when only connecting)",
                "5:cannot listen, storage error, other failure"})
final class ListenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--count", paramLabel = "N",
            description = "Exit 0 after N messages; later ones are not printed and not acknowledged.")
    Integer count;

    @Option(names = "--echo",
            description = "Send each message's data back to its sender (TTL 0: only while it is connected).")
    boolean echo;

    @Override
    public Integer call() {
        Console console = Main.console(spec);
        if (count != null && count <= 0) {
            throw CliException.usage("--count must be positive");
        }
        try (Node node = Node.open(common, console)) {
            Messaging messaging = node.messaging();
            CompletableFuture<Void> done = new CompletableFuture<>();
            AtomicInteger received = new AtomicInteger();
            Set<UUID> echoes = ConcurrentHashMap.newKeySet();
            Runnable check = () -> {
                if (count != null && received.get() >= count && echoes.isEmpty()) {
                    done.complete(null);
                }
            };
            messaging.onMessageReceived().add((connection, sender, message) -> {
                if (count != null && received.get() >= count) {
                    refuse(node, connection);
                    return;
                }
                console.out(RecvLine.format(sender, message));
                if (echo) {
                    Message reply = Message.of(message.data()).withTtl(Duration.ZERO);
                    echoes.add(reply.uuid());
                    messaging.send(sender, reply);
                }
                if (count != null && received.incrementAndGet() == count && !echo) {
                    // no more reading: whatever comes now is left to the sender (echoes need the
                    // acknowledgements still to come, so an echoing listener reads on)
                    node.link().connections().forEach(c -> node.transport().setReadPaused(c, true));
                }
                check.run();
            });
            messaging.onMessageSent().add((connection, peer, uuid) -> {
                if (echoes.remove(uuid)) {
                    check.run();
                }
            });
            messaging.onMessageDropped().add((peer, uuid) -> {
                if (echoes.remove(uuid)) {
                    check.run();
                }
            });
            node.start();
            node.await(done, count != null || common.timeoutGiven(), () -> count == null
                    ? "stopped after " + received.get() + " messages"
                    : "received " + received.get() + " of " + count + " messages"
                    + (echoes.isEmpty() ? "" : ", " + echoes.size() + " echoes not delivered"));
            return ExitCode.OK;
        }
    }

    /**
     * A message beyond --count, already read: closing its connection at once keeps it (and any other
     * message of the same batch) unacknowledged, so the sender still has it.
     */
    private static void refuse(Node node, Connection connection) {
        node.link().disconnect(connection);
    }
}
