package org.snakemq.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.function.Function;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code snakemq}: the top command. */
@Command(name = "snakemq", mixinStandardHelpOptions = true, versionProvider = SnakemqCommand.Version.class,
        description = {
                "Talks to snakeMQ peers (snakemq-java or the original Python snakeMQ 1.6).",
                "Every command takes --identity and at least one --listen or --connect;",
                "see 'snakemq <command> --help'. Errors print one line on stderr."},
        subcommands = {ListenCommand.class, SendCommand.class, RpcCommand.class},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
                "0:done",
                "1:timed out (peer unreachable, no reply, not everything delivered or received)",
                "2:bad command line",
                "3:rpc call: the remote method raised an exception",
                "4:TLS: unusable key or certificate file, or a failed TLS handshake",
                "5:other failure (cannot listen, storage error, internal error)",
                "130:interrupted"},
        footerHeading = "%nEnvironment:%n",
        footer = {"  SNAKEMQ_LOG=warn|info|debug|off: how much of the stack's log goes to",
                "  stderr (default: errors only)."})
final class SnakemqCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: listen, send or rpc");
    }

    /** The command line with the tool's error handling, writing to the given streams; never a progress line. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, Terminal.NONE);
    }

    /** The same, drawing progress lines on {@code err} when {@code terminal} says it is one. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Terminal terminal) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == SendCommand.class ? type.cast(new SendCommand(terminal)) : defaults.create(type);
            }
        };
        CommandLine commandLine = new CommandLine(new SnakemqCommand(), factory);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.registerConverter(HostPort.class, parsing(HostPort::parse));
        commandLine.registerConverter(Ttl.class, parsing(Ttl::parse));
        commandLine.setParameterExceptionHandler(SnakemqCommand::badUsage);
        commandLine.setExecutionExceptionHandler(SnakemqCommand::failed);
        return commandLine;
    }

    /** A converter for a parse method whose IllegalArgumentException says what is wrong with the value. */
    private static <T> CommandLine.ITypeConverter<T> parsing(Function<String, T> parse) {
        return value -> {
            try {
                return parse.apply(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        };
    }

    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("snakemq: " + e.getMessage() + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return ExitCode.USAGE;
    }

    private static int failed(Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
        PrintWriter err = command.getErr();
        int code;
        if (e instanceof CliException cli) {
            code = cli.exitCode();
            if (cli.getMessage() != null) {
                err.println("snakemq: " + cli.getMessage() + (code == ExitCode.USAGE
                        ? " (see '" + command.getCommandSpec().qualifiedName() + " --help')" : ""));
            }
        } else {
            code = ExitCode.FAILURE;
            err.println("snakemq: internal error: " + e);
            if (System.getenv("SNAKEMQ_LOG") != null) {
                e.printStackTrace(err);
            }
        }
        err.flush();
        return code;
    }

    /** The project version, from the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = SnakemqCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"snakemq " + properties.getProperty("version", "unknown")};
        }
    }
}
