package org.snakemq.cli;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.event.Level;

import org.snakemq.cli.logging.CliLog;
import org.snakemq.cli.logging.LogEvent;
import org.snakemq.link.Link;
import org.snakemq.link.LinkOptions;
import org.snakemq.link.SslConfig;
import org.snakemq.link.Transport;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.packeter.Packeter;
import org.snakemq.storage.QueuesStorage;
import org.snakemq.storage.StorageException;
import org.snakemq.storage.StoredMessage;
import org.snakemq.throttle.Throttle;

/**
 * One peer's stack as the common options describe it: link, optional throttle, packeter, messaging
 * and storage; plus the command's deadline and what went wrong on the way (for one-line diagnoses).
 * Built by {@link #open}, running after {@link #start}, and closed so that the last acknowledgements
 * still leave and the storage is flushed.
 */
final class Node implements AutoCloseable {

    private static final Duration RECONNECT = Duration.ofSeconds(1);
    private static final Set<Node> OPEN = ConcurrentHashMap.newKeySet();
    private static final Pattern EXCEPTION_NAME = Pattern.compile("\\b[\\w.$]+(Exception|Error): ");

    private final CommonOptions options;
    private final Console console;
    private final long startNanos = System.nanoTime();
    private final SslConfig ssl;
    private final Link link;
    private final Transport transport;
    private final Packeter packeter;
    private final QueuesStorage storage;
    private final List<StoredMessage> stored;
    private final Messaging messaging;
    /** Completes exceptionally when the command must end early (TLS failure, interrupt). */
    private final CompletableFuture<Void> fatal = new CompletableFuture<>();
    private final Runnable logSubscription;
    private volatile String lastProblem;
    private volatile String lastConnectFailure;
    private volatile boolean closed;

    private Node(CommonOptions options, Console console) {
        this.options = options;
        this.console = console;
        options.validate();
        this.ssl = options.sslConfig();
        Duration connectTimeout = options.timeout().compareTo(Duration.ofSeconds(10)) < 0
                ? options.timeout() : Duration.ofSeconds(10);
        this.link = new Link(LinkOptions.defaults().withReconnectInterval(RECONNECT)
                .withConnectTimeout(connectTimeout));
        this.logSubscription = CliLog.subscribe(this::logged);
        boolean ok = false;
        QueuesStorage openedStorage = null;
        try {
            this.transport = options.throttle == null ? link : new Throttle(link, options.throttle);
            this.packeter = new Packeter(transport);
            if (options.storage != null) {
                openedStorage = Storages.open(options.storage);
            }
            this.storage = openedStorage;
            this.stored = storage == null ? List.of() : List.copyOf(storage.loadAll());
            MessagingOptions messagingOptions = MessagingOptions.defaults();
            if (options.keepalive != null) {
                messagingOptions = messagingOptions.withKeepalive(options.keepaliveInterval(),
                        messagingOptions.keepaliveWait());
            }
            this.messaging = new Messaging(options.identity, "", packeter, storage, messagingOptions);
            messaging.onError().add((connection, error) ->
                    console.error("warning: " + connection + ": " + error.getMessage()));
            ok = true;
        } catch (StorageException e) {
            throw new CliException(ExitCode.FAILURE, e.getMessage(), e);
        } finally {
            if (!ok) {
                logSubscription.run();
                link.close();
                if (openedStorage != null) {
                    closeQuietly(openedStorage);
                }
            }
        }
        OPEN.add(this);
    }

    /** Builds the stack (storage loaded, nothing bound or dialled yet); a usage, TLS or storage problem throws. */
    static Node open(CommonOptions options, Console console) {
        return new Node(options, console);
    }

    Link link() {
        return link;
    }

    /** The transport under the packeter: the link, or the throttle over it. */
    Transport transport() {
        return transport;
    }

    Messaging messaging() {
        return messaging;
    }

    /** What the storage held when it was opened, in FIFO order per queue. */
    List<StoredMessage> stored() {
        return stored;
    }

    boolean hasStorage() {
        return storage != null;
    }

    /** Binds the listeners (printing LISTENING HOST:PORT for each), adds the connectors and runs the link. */
    void start() {
        for (HostPort address : options.listen) {
            InetSocketAddress bound;
            try {
                bound = link.addListener(address.listenAddress(), ssl);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--listen " + address + ": " + e.getMessage());
            } catch (Exception e) { // LinkException, or the bind's own (checked) exception rethrown by Netty
                throw new CliException(ExitCode.FAILURE, "cannot listen on " + address + ": " + rootMessage(e), e);
            }
            console.out("LISTENING " + HostPort.format(bound));
        }
        for (HostPort address : options.connect) {
            InetSocketAddress target = address.connectAddress();
            if (target.isUnresolved()) {
                throw new CliException(ExitCode.TIMEOUT, "cannot connect to " + address + ": unknown host");
            }
            link.addConnector(target, RECONNECT, ssl);
        }
        link.start();
    }

    /** Time left until the command's deadline (the --timeout counts from the start of the command). */
    Duration remaining() {
        Duration left = options.timeout().minusNanos(System.nanoTime() - startNanos);
        return left.isNegative() ? Duration.ZERO : left;
    }

    Duration timeout() {
        return options.timeout();
    }

    /**
     * Waits for {@code done}, or the deadline when {@code bounded}, or a fatal problem; returns
     * {@code done}'s value.
     *
     * @throws CliException with the exit code of whatever ended the wait
     */
    <T> T await(CompletableFuture<T> done, boolean bounded, Supplier<String> whatIsMissing) {
        CompletableFuture<Object> either = CompletableFuture.anyOf(done, fatal);
        try {
            if (bounded) {
                either.get(remaining().toNanos(), TimeUnit.NANOSECONDS);
            } else {
                either.get();
            }
            return done.getNow(null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException unchecked) {
                throw unchecked; // a CliException, or the failure of done for the caller to judge
            }
            throw new CliException(ExitCode.FAILURE, String.valueOf(cause), cause);
        } catch (TimeoutException e) {
            throw new CliException(ExitCode.TIMEOUT, "timed out after " + seconds(options.timeout()) + ": "
                    + whatIsMissing.get());
        } catch (InterruptedException e) {
            throw new CliException(ExitCode.INTERRUPTED, "interrupted");
        }
    }

    /**
     * Waits until {@code peer} is connected, at most until the deadline; {@code what} names what needs
     * the connection in the timeout message.
     */
    void awaitConnected(String peer, String what) {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        messaging.onConnect().add((connection, identity) -> {
            if (identity.equals(peer)) {
                connected.complete(null);
            }
        });
        if (messaging.isConnected(peer)) {
            connected.complete(null);
        }
        await(connected, true, () -> what + " needs a live connection, but " + whyNot(peer));
    }

    /** Why {@code peer} is not connected, for a timeout message. */
    String whyNot(String peer) {
        if (messaging.isConnected(peer)) {
            return peer + " is connected";
        }
        String problem = lastProblem != null ? lastProblem : lastConnectFailure;
        return peer + " is not connected" + (problem == null ? "" : " (last problem: " + problem + ")");
    }

    /** Ends the command's wait with exit code 130; used by the shutdown hook. */
    void requestStop() {
        fatal.completeExceptionally(new CliException(ExitCode.INTERRUPTED, null));
    }

    /** Asks every open node to stop and waits (bounded) until they are closed. For SIGINT/SIGTERM. */
    static void stopAll(Duration wait) {
        OPEN.forEach(Node::requestStop);
        long deadline = System.nanoTime() + wait.toNanos();
        while (!OPEN.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /**
     * Lets queued acknowledgements and replies leave, closes every connection, stops the link and
     * flushes and closes the storage. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (link.isRunning()) {
                flushAndDisconnect();
            }
        } finally {
            link.close();
            try {
                messaging.close();
            } catch (StorageException e) {
                console.error("warning: storage: " + e.getMessage());
            }
            if (storage != null) {
                closeQuietly(storage);
            }
            logSubscription.run();
            OPEN.remove(this);
        }
    }

    private void flushAndDisconnect() {
        // pending acknowledgements go out before the connections close, so senders let go of what we got
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        try {
            messaging.disconnectAll().get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return;
        }
        while (!link.connections().isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Log events of this node's stack (on its loop thread) become diagnoses. */
    private void logged(LogEvent event) {
        if (!link.inLoop()) {
            return;
        }
        if (event.level().toInt() >= Level.WARN.toInt()) {
            lastProblem = plain(event.message());
            if (event.logger().equals("snakemq.link") && event.message().contains("TLS")) {
                tlsProblem(lastProblem);
            }
        } else if (event.level() == Level.DEBUG && event.logger().equals("snakemq.link")
                && event.message().startsWith("connect to ")) {
            lastConnectFailure = plain(event.message());
        }
    }

    private void tlsProblem(String message) {
        if (options.listen.isEmpty()) {
            // every connection of this node is one it dialled: a certificate problem will not go away
            fatal.completeExceptionally(new CliException(ExitCode.TLS, message));
        } else {
            console.error("warning: " + message);
        }
    }

    /**
     * A log message without exception class names and without a repeated root cause:
     * "TLS error: io.netty...DecoderException: javax.net.ssl.SSLHandshakeException: Received fatal
     * alert: bad_certificate (javax.net.ssl.SSLHandshakeException: Received ...)" becomes
     * "TLS error: Received fatal alert: bad_certificate".
     */
    static String plain(String message) {
        String text = EXCEPTION_NAME.matcher(message).replaceAll("");
        int open = text.lastIndexOf(" (");
        if (open > 0 && text.endsWith(")")
                && text.substring(0, open).endsWith(text.substring(open + 2, text.length() - 1))) {
            text = text.substring(0, open);
        }
        return text;
    }

    static String seconds(Duration duration) {
        double seconds = duration.toNanos() / 1e9;
        return (seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds)) + " s";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage() != null ? root.getMessage() : root);
    }

    private void closeQuietly(QueuesStorage toClose) {
        try {
            toClose.close();
        } catch (RuntimeException e) {
            console.error("warning: storage: " + e.getMessage());
        }
    }
}
