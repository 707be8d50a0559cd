package org.snakemq.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import picocli.CommandLine.Model.CommandSpec;

/** {@code java -jar snakemq-cli.jar <command> ...}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // UTF-8 whatever the locale: RECV lines carry message text
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8)));
        PrintWriter err = new PrintWriter(new BufferedWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8)));
        // SIGINT/SIGTERM: end the command's wait so that it closes cleanly (storage flushed)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Node.stopAll(Duration.ofSeconds(5)), "snakemq-shutdown"));
        int code = SnakemqCommand.commandLine(out, err, Terminal.system()).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    static Console console(CommandSpec spec) {
        return new Console(spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
