package org.snakemq.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import org.snakemq.messaging.ReceiveHook;
import org.snakemq.rpc.RpcServer;

/** {@code snakemq rpc serve}: serves the demo object. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Serves a demo object to RPC clients.",
                "Serves an object named demo to RPC clients (snakemq rpc call, Java or",
                "Python snakeMQ):",
                "  echo(x)          returns x",
                "  add(a, b)        returns a + b (numbers, strings, lists)",
                "  fail(message)    raises java.lang.RuntimeException(message)",
                "  sleep(seconds)   sleeps, returns null",
                "  notify(x)        a signal: prints SIGNAL notify <x as JSON>",
                "Prints READY once listening (after the LISTENING lines) and runs until",
                "it is stopped, or until an explicit --timeout (then exits 1)."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
                "1:the explicit --timeout passed",
                "2:bad command line",
                "4:TLS: unusable key or certificate file, or a failed handshake (when only connecting)",
                "5:cannot listen, other failure"})
final class RpcServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        Console console = Main.console(spec);
        try (Node node = Node.open(common, console);
             RpcServer server = new RpcServer(new ReceiveHook(node.messaging()))) {
            server.register("demo", new DemoObject(console));
            node.start();
            console.out("READY");
            node.await(new CompletableFuture<Void>(), common.timeoutGiven(), () -> "served until the time ran out");
            return ExitCode.OK;
        }
    }
}
