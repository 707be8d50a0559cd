package org.snakemq.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.ReceiveHook;
import org.snakemq.rpc.NotConnectedException;
import org.snakemq.rpc.PartialCallException;
import org.snakemq.rpc.RemoteException;
import org.snakemq.rpc.RpcClient;
import org.snakemq.rpc.RpcException;

/** {@code snakemq rpc call}: calls one method of a peer's RPC object, or sends a signal. */
@Command(name = "call", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Calls a method of a peer's RPC object, or sends it a signal.",
                "Calls NAME.M(ARG...) on PEER and prints the result as JSON on one line",
                "(byte strings as base64, tuples and sets as arrays). Each ARG is one JSON",
                "value: 42, 1.5, '\"text\"', true, null, '[1,2]', '{\"k\":1}'.",
                "A remote exception prints its class, message and remote traceback on",
                "stderr and exits 3. With --signal there is no reply: nothing is printed,",
                "and the command exits 0 once the signal was delivered."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
                "0:result printed (or signal delivered)",
                "1:timed out: PEER not connected, or no reply in time",
                "2:bad command line (an ARG that is not JSON)",
                "3:the remote method raised an exception",
                "4:TLS: unusable key or certificate file, or a failed handshake",
                "5:other failure"})
final class RpcCallCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--to", required = true, paramLabel = "PEER", description = "The identity of the serving peer.")
    String to;

    @Option(names = "--object", required = true, paramLabel = "NAME", description = "The remote object, e.g. demo.")
    String object;

    @Option(names = "--method", required = true, paramLabel = "M", description = "The method to call.")
    String method;

    @Option(names = "--signal", description = "Send as a signal: no reply, no result.")
    boolean signal;

    @Option(names = "--ttl", paramLabel = "SECONDS|inf",
            description = "With --signal: how long it may wait while PEER is disconnected (default 0: only "
                    + "when connected).")
    Ttl ttl;

    @Parameters(paramLabel = "ARG", arity = "0..*", description = "Positional arguments, each a JSON value.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        Console console = Main.console(spec);
        if (ttl != null && !signal) {
            throw CliException.usage("--ttl only applies to --signal");
        }
        Object[] values = new Object[args.size()];
        for (int i = 0; i < values.length; i++) {
            try {
                values[i] = JsonValues.parse(args.get(i));
            } catch (IllegalArgumentException e) {
                throw CliException.usage("ARG " + (i + 1) + " is not JSON (strings need quotes, '\"text\"'): "
                        + args.get(i));
            }
        }
        try (Node node = Node.open(common, console);
             RpcClient client = new RpcClient(new ReceiveHook(node.messaging()))) {
            if (signal) {
                return signal(node, client, values);
            }
            node.start();
            CompletableFuture<Object> reply = client.newCall(to, object, method).args(values)
                    .timeout(node.remaining()).callAsync();
            Object result;
            try {
                // the call's own timeout bounds this wait
                result = node.await(reply, false, () -> "no reply");
            } catch (RemoteException e) {
                console.error("remote exception " + e.remoteClassName()
                        + (e.remoteMessage().isEmpty() ? "" : ": " + e.remoteMessage()));
                if (!e.remoteTraceback().isEmpty()) {
                    console.errRaw(e.remoteTraceback());
                }
                return ExitCode.REMOTE_EXCEPTION;
            } catch (NotConnectedException e) {
                throw new CliException(ExitCode.TIMEOUT, "timed out after " + Node.seconds(node.timeout()) + ": "
                        + node.whyNot(to));
            } catch (PartialCallException e) {
                throw new CliException(ExitCode.TIMEOUT, "timed out after " + Node.seconds(node.timeout())
                        + ": the call was sent, no reply came");
            } catch (RpcException e) {
                throw new CliException(ExitCode.FAILURE, e.getMessage(), e);
            }
            console.out(JsonValues.print(result));
            return ExitCode.OK;
        }
    }

    private int signal(Node node, RpcClient client, Object[] values) {
        Messaging messaging = node.messaging();
        CompletableFuture<Void> delivered = new CompletableFuture<>();
        // this command sends nothing else to PEER: its first message sent or dropped is the signal
        messaging.onMessageSent().add((connection, peer, uuid) -> {
            if (peer.equals(to)) {
                delivered.complete(null);
            }
        });
        messaging.onMessageDropped().add((peer, uuid) -> {
            if (peer.equals(to)) {
                delivered.completeExceptionally(new CliException(ExitCode.TIMEOUT,
                        "the signal's TTL ran out before " + to + " took it"));
            }
        });
        Ttl effective = ttl == null ? new Ttl(java.time.Duration.ZERO) : ttl;
        node.start();
        if (effective.isZero()) {
            node.awaitConnected(to, "a signal with TTL 0");
        }
        client.signal(to, object, method, effective.value(), values);
        node.await(delivered, true, () -> "the signal was not delivered; " + node.whyNot(to));
        return ExitCode.OK;
    }
}
