package org.snakemq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code snakemq rpc}: the RPC commands. */
@Command(name = "rpc", mixinStandardHelpOptions = true,
        description = "Serve the demo object, or call a method of any peer's RPC object.",
        subcommands = {RpcServeCommand.class, RpcCallCommand.class},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
                "0:done",
                "1:timed out (peer unreachable, no reply)",
                "2:bad command line",
                "3:rpc call: the remote method raised an exception",
                "4:TLS: unusable key or certificate file, or a failed handshake",
                "5:other failure"})
final class RpcCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: serve or call");
    }
}
