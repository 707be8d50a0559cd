package org.snakemq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistentSendTest {

    @TempDir
    Path dir;

    @Test
    void persistentMessagesOfATimedOutRunAreDeliveredByTheNextRunWithNothingNew() {
        String storage = dir.resolve("alice.db").toString();
        Cli first = sendToUnreachableBob(storage, "--persistent", "--timeout", "1", "first", "second");

        assertThat(first.awaitExit()).isEqualTo(ExitCode.TIMEOUT);
        assertThat(first.out()).isEmpty();
        assertThat(first.err()).singleElement().asString()
                .startsWith("snakemq: timed out after 1 s: 2 of 2 messages not delivered; bob is not connected")
                .endsWith("the persistent ones stay stored for the next run");

        try (Cli listen = Cli.listenAsBob("--count", "2")) {
            Cli second = Cli.sendFromAliceToBob(listen.address(), "--storage", storage);

            assertThat(second.awaitExit()).as(second.errText()).isZero();
            assertThat(second.out()).containsExactly("SENT 2");
            assertThat(listen.awaitExit()).isZero();
            List<String> received = listen.lines("RECV");
            assertThat(received).hasSize(2);
            assertThat(received.get(0)).startsWith("RECV alice ").endsWith(" inf 1 first");
            assertThat(received.get(1)).endsWith(" inf 1 second");
        }

        // delivered messages left the storage
        assertNothingStored(storage);
    }

    @Test
    void storedMessagesGoBeforeNewOnesAndCountInSent() {
        String storage = dir.resolve("alice.db").toString();
        Cli first = sendToUnreachableBob(storage, "--persistent", "--timeout", "0.5", "old");
        assertThat(first.awaitExit()).isEqualTo(ExitCode.TIMEOUT);

        try (Cli listen = Cli.listenAsBob("--count", "2")) {
            Cli second = Cli.sendFromAliceToBob(listen.address(), "--storage", storage, "new");

            assertThat(second.awaitExit()).as(second.errText()).isZero();
            assertThat(second.out()).containsExactly("SENT 2");
            assertThat(listen.awaitExit()).isZero();
            assertThat(listen.lines("RECV").stream().map(l -> l.split(" ", 6)[5]).toList())
                    .containsExactly("old", "new");
        }
    }

    @Test
    void withoutPersistentNothingIsStored() {
        String storage = dir.resolve("alice.db").toString();
        Cli first = sendToUnreachableBob(storage, "--timeout", "0.5", "transient");
        assertThat(first.awaitExit()).isEqualTo(ExitCode.TIMEOUT);
        assertThat(first.errText()).doesNotContain("stay stored");

        assertNothingStored(storage);
    }

    @Test
    void aStorageFileInUseByAnotherRunIsRefused() {
        String storage = dir.resolve("alice.db").toString();
        try (Cli holder = Cli.start("send", "--identity", "alice", "--listen", "127.0.0.1:0", "--to", "bob",
                "--storage", storage, "--persistent", "held")) {
            holder.address();
            Cli second = sendToUnreachableBob(storage, "--timeout", "5");

            assertThat(second.awaitExit()).isEqualTo(ExitCode.FAILURE);
            assertThat(second.err()).singleElement().asString().startsWith("snakemq: --storage: ");
        }
    }

    /** Alice sends to bob, who never answers (nothing listens on port 1), with {@code storage} as her queue file. */
    private static Cli sendToUnreachableBob(String storage, String... options) {
        String[] head = {"send", "--identity", "alice", "--connect", "127.0.0.1:1", "--to", "bob", "--storage", storage};
        return Cli.run(Cli.args(head, options));
    }

    /** A run with nothing new to send finds nothing in {@code storage} for bob: it sends none and succeeds. */
    private static void assertNothingStored(String storage) {
        Cli run = sendToUnreachableBob(storage, "--timeout", "5");
        assertThat(run.awaitExit()).isZero();
        assertThat(run.out()).containsExactly("SENT 0");
    }
}
