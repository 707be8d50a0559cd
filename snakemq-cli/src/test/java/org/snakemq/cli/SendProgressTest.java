package org.snakemq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

/** {@code send --count} draws progress on stderr only when it is a terminal; stdout is the same. */
class SendProgressTest {

    @Test
    void onATerminalStderrShowsProgressAndStdoutOnlySent() {
        Cli send = sendTwoHundred(true);

        String err = send.errText();
        assertThat(err).contains("delivered 200/200 (100%)").endsWith("\n");
        // every redraw is in place: one line in all, the final count last
        assertThat(send.err()).hasSize(1);
        assertThat(send.err().get(0).strip()).endsWith("delivered 200/200 (100%)");
    }

    @Test
    void withoutATerminalStderrStaysEmpty() {
        assertThat(sendTwoHundred(false).errText()).isEmpty();
    }

    @Test
    void textsDrawNoProgressEvenOnATerminal() {
        try (Cli listen = Cli.listenAsBob("--count", "1")) {
            Cli send = Cli.start(() -> true, "send", "--identity", "alice", "--connect", listen.address(),
                    "--to", "bob", "hello");

            assertThat(send.awaitExit()).as(send.errText()).isZero();
            assertThat(send.out()).containsExactly("SENT 1");
            assertThat(send.errText()).isEmpty();
        }
    }

    @Test
    void aFailureStartsOnItsOwnLineAfterTheProgress() {
        // nobody listens on port 1: the command times out with messages undelivered
        Cli send = Cli.start(() -> true, "send", "--identity", "alice", "--connect", "127.0.0.1:1",
                "--to", "bob", "--count", "5", "--timeout", "1");

        assertThat(send.awaitExit()).isEqualTo(ExitCode.TIMEOUT);
        assertThat(send.out()).isEmpty();
        assertThat(send.err()).hasSize(2);
        assertThat(send.err().get(0).strip()).isEqualTo("delivered 0/5 (0%)");
        assertThat(send.err().get(1)).startsWith("snakemq: timed out after 1 s: 5 of 5 messages not delivered");
    }

    @Test
    void theLineIsRedrawnInPlaceAndEndedOnce() {
        StringWriter err = new StringWriter();
        Progress progress = Progress.start(() -> true, new Console(new PrintWriter(new StringWriter()),
                new PrintWriter(err)), 3);
        for (int i = 0; i < 3; i++) {
            progress.delivered();
        }
        progress.close();
        progress.close();

        assertThat(err.toString()).startsWith("\r").endsWith("\rdelivered 3/3 (100%)   " + System.lineSeparator())
                .doesNotContain("\n\r");
    }

    @Test
    void stderrIsATerminalWhenItsDescriptorIsATerminalDevice() {
        assertThat(Terminal.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(Terminal.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(Terminal.isTerminalDevice("pipe:[81234]")).isFalse();
        assertThat(Terminal.isTerminalDevice("/tmp/out.log")).isFalse();
        assertThat(Terminal.isTerminalDevice("/dev/null")).isFalse();
        // surefire sends a test JVM's stderr to a pipe or file
        assertThat(Terminal.system().stderrIsTerminal()).isFalse();
    }

    /**
     * Alice sends 200 generated messages to bob, her stderr a terminal or not; returns her command once
     * it printed SENT 200 and bob received them all.
     */
    private static Cli sendTwoHundred(boolean stderrIsTerminal) {
        try (Cli listen = Cli.listenAsBob("--count", "200")) {
            Cli send = Cli.start(() -> stderrIsTerminal, "send", "--identity", "alice", "--connect", listen.address(),
                    "--to", "bob", "--count", "200");

            assertThat(send.awaitExit()).as(send.errText()).isZero();
            assertThat(send.out()).containsExactly("SENT 200");
            assertThat(listen.awaitExit()).isZero();
            return send;
        }
    }
}
