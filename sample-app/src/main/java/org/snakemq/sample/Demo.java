package org.snakemq.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;

/**
 * The one-command demo: alice and bob as two Spring application contexts in one JVM. Bob listens on a
 * free port and serves HTTP (actuator); alice connects to him and serves a clock over RPC. Then:
 *
 * <ol>
 * <li>they exchange a message each way;</li>
 * <li>alice stops, bob sends her a persistent message, bob restarts too (the message is reloaded from
 *     his SQLite file), alice starts again and receives it;</li>
 * <li>bob calls alice's clock ({@code now}, {@code add}) and sends it the signal {@code ping};</li>
 * <li>the actuator URLs are printed and the demo keeps running until Ctrl-C or
 *     {@code --demo.exit-after}.</li>
 * </ol>
 *
 * Options (command line, system properties or environment): {@code demo.exit-after} (seconds, or a
 * duration like {@code 500ms}; unset: run until Ctrl-C), {@code demo.pace} (pause between steps,
 * default 1 s), {@code demo.timeout} (longest wait for one step, default 30 s),
 * {@code sample.data-dir} (the SQLite files; default {@code <tmp>/snakemq-sample-demo}, emptied at
 * start). Every other argument, such as {@code --server.port=9090}, goes to both peers.
 */
public final class Demo {

    private static final Logger log = LoggerFactory.getLogger("sample.demo");
    private static final Logger aliceLog = LoggerFactory.getLogger("sample.alice");
    private static final Logger bobLog = LoggerFactory.getLogger("sample.bob");

    static final String HELLO_BOB = "Hi bob, alice here.";
    static final String HELLO_ALICE = "Hello alice, nice to meet you.";
    static final String WHILE_AWAY = "Sent while you were away, alice: this one is persistent.";
    static final String THANKS = "Got it after my restart, thanks bob.";

    private final String[] args;
    private final Duration exitAfter;
    private final Duration pace;
    private final Duration timeout;
    private final Path dataDir;
    private final Journal journal = new Journal();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();
    private volatile int httpPort = -1;

    public Demo(String... args) {
        this.args = args.clone();
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(this.args));
        String exit = environment.getProperty("demo.exit-after");
        this.exitAfter = exit == null || exit.isBlank() ? null : DurationStyle.detectAndParse(exit, ChronoUnit.SECONDS);
        this.pace = DurationStyle.detectAndParse(environment.getProperty("demo.pace", "1s"), ChronoUnit.SECONDS);
        this.timeout = DurationStyle.detectAndParse(environment.getProperty("demo.timeout", "30s"), ChronoUnit.SECONDS);
        String dir = environment.getProperty("sample.data-dir");
        this.dataDir = (dir == null || dir.isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "snakemq-sample-demo")
                : Path.of(dir)).toAbsolutePath().normalize();
    }

    /** Runs the demo from {@code main}; returns the exit code. */
    static int runFromCommandLine(String[] args) {
        Demo demo = new Demo(args);
        try {
            demo.run();
            return 0;
        } catch (RuntimeException e) {
            log.error("demo failed: {}", e.getMessage(), e);
            return 1;
        }
    }

    /** What the peers of the demo did so far. */
    public Journal journal() {
        return journal;
    }

    /** The HTTP port of bob's actuator once the demo is ready, -1 before. */
    public int httpPort() {
        return httpPort;
    }

    /** Ends {@link #run()} early (as Ctrl-C does). Any thread. */
    public void stop() {
        stopRequested.countDown();
    }

    /**
     * Runs every step, then waits for {@code demo.exit-after}, {@link #stop()} or the JVM's shutdown, and
     * closes both peers. Blocks the calling thread.
     *
     * @throws IllegalStateException when a step does not complete within {@code demo.timeout}
     */
    public void run() {
        try {
            runSteps();
        } finally {
            closeAll();
        }
    }

    private void runSteps() {
        log.info("snakeMQ sample: two peers, alice and bob, in one JVM; persistent queues in {}", dataDir);
        cleanDataDir();

        ConfigurableApplicationContext bob = startBob(0);
        int peerPort = bob.getBean(Link.class).listenerAddresses().get(0).getPort();
        long mark = journal.mark();
        ConfigurableApplicationContext alice = startAlice(peerPort);
        await("alice and bob to connect", mark, Journal.of("alice", Journal.Kind.CONNECTED, "bob"));
        await("bob to see alice", mark, Journal.of("bob", Journal.Kind.CONNECTED, "alice"));

        step("1/4 two peers exchange messages");
        mark = journal.mark();
        send(alice, "bob", Message.of(HELLO_BOB));
        send(bob, "alice", Message.of(HELLO_ALICE));
        await("bob to receive alice's message", mark, received("bob", "alice", HELLO_BOB));
        await("alice to receive bob's message", mark, received("alice", "bob", HELLO_ALICE));

        step("2/4 a persistent message survives restarts");
        mark = journal.mark();
        close(alice, "alice");
        await("bob to notice that alice left", mark, Journal.of("bob", Journal.Kind.DISCONNECTED, "alice"));
        send(bob, "alice", Message.of(WHILE_AWAY).withTtl(Duration.ofMinutes(10)).persistent());
        Messaging bobMessaging = bob.getBean(Messaging.class);
        bobLog.info("alice is offline: {} message(s) wait in bob's queue, stored in {}", queued(bobMessaging, "alice"),
                bob.getEnvironment().getProperty("snakemq.storage.path"));
        pause();
        log.info("restarting bob as well: the message must come back from his SQLite file");
        close(bob, "bob");
        bob = startBob(peerPort);
        bobLog.info("restarted: {} message(s) for alice loaded from SQLite", queued(bob.getBean(Messaging.class), "alice"));
        pause();
        mark = journal.mark();
        log.info("starting alice again");
        alice = startAlice(peerPort);
        await("alice to receive the persistent message after her restart", mark,
                received("alice", "bob", WHILE_AWAY));
        log.info("the persistent message reached alice after alice and bob restarted");
        journal.add("demo", Journal.Kind.STEP, "", "persistent message delivered after restart");
        mark = journal.mark();
        send(alice, "bob", Message.of(THANKS));
        await("bob to receive alice's answer", mark, received("bob", "alice", THANKS));

        step("3/4 bob calls alice's clock over RPC and sends it a signal");
        mark = journal.mark();
        bob.getBean(ClockCaller.class).callClock(2, 3);
        await("alice to receive the ping signal", mark, Journal.of("alice", Journal.Kind.SIGNAL, "bob"));

        step("4/4 metrics and health");
        httpPort = Integer.parseInt(bob.getEnvironment().getProperty("local.server.port", "-1"));
        String base = "http://localhost:" + httpPort + "/actuator";
        log.info("bob's actuator:");
        log.info("  {}/health", base);
        log.info("  {}/metrics", base);
        log.info("  {}/metrics/snakemq.messages.received", base);
        log.info("  {}/metrics/snakemq.rpc.client.calls", base);
        journal.add("demo", Journal.Kind.STEP, "", "ready");
        waitUntilDone(bob);
    }

    private void waitUntilDone(ConfigurableApplicationContext bob) {
        // Ctrl-C: Spring's shutdown hook closes the contexts; bob's closing ends the wait
        bob.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                stopRequested.countDown();
            }
        });
        try {
            if (exitAfter == null) {
                log.info("running until Ctrl-C (or start with --demo.exit-after=SECONDS)");
                stopRequested.await();
            } else {
                log.info("running for {} s more (demo.exit-after)", exitAfter.toSeconds());
                stopRequested.await(exitAfter.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("stopping");
    }

    private ConfigurableApplicationContext startBob(int peerPort) {
        return start(new SpringApplicationBuilder(SampleApplication.class)
                .profiles("bob")
                .properties("sample.bob.port=" + peerPort));
    }

    private ConfigurableApplicationContext startAlice(int bobPort) {
        return start(new SpringApplicationBuilder(SampleApplication.class)
                .profiles("alice")
                .web(WebApplicationType.NONE)
                .properties("sample.bob.port=" + bobPort, "snakemq.link.reconnect-interval=200ms"));
    }

    private ConfigurableApplicationContext start(SpringApplicationBuilder builder) {
        ConfigurableApplicationContext context = builder
                .properties("sample.data-dir=" + dataDir, "sample.chat.enabled=false")
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("journal", journal))
                .run(args);
        synchronized (running) {
            running.add(context);
        }
        return context;
    }

    private void close(ConfigurableApplicationContext context, String name) {
        log.info("stopping {}", name);
        context.close();
        synchronized (running) {
            running.remove(context);
        }
    }

    private void closeAll() {
        List<ConfigurableApplicationContext> contexts;
        synchronized (running) {
            contexts = new ArrayList<>(running);
            running.clear();
        }
        // alice first, then bob
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
    }

    private void send(ConfigurableApplicationContext from, String to, Message message) {
        Messaging messaging = from.getBean(Messaging.class);
        messaging.send(to, message);
        LoggerFactory.getLogger("sample." + messaging.identity()).info("sent to {}: \"{}\"{}", to, message.text(),
                message.isPersistent() ? " (persistent, TTL " + message.ttl().toMinutes() + " min)" : "");
        journal.add(messaging.identity(), Journal.Kind.SENT, to, message.text());
    }

    private int queued(Messaging messaging, String peer) {
        return QueueSizes.settled(messaging, peer, timeout);
    }

    private void step(String title) {
        pause();
        log.info("---- {} ----", title);
        journal.add("demo", Journal.Kind.STEP, "", title);
    }

    private void pause() {
        if (pace.isZero() || pace.isNegative()) {
            return;
        }
        try {
            Thread.sleep(pace.toMillis()); // only so that a person can follow the steps
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void await(String what, long since, Predicate<Journal.Entry> condition) {
        if (journal.await(since, condition, timeout).isEmpty()) {
            throw new IllegalStateException("gave up waiting " + timeout.toSeconds() + " s for " + what);
        }
    }

    private static Predicate<Journal.Entry> received(String peer, String from, String text) {
        return Journal.of(peer, Journal.Kind.RECEIVED, from).and(entry -> entry.text().equals(text));
    }

    private void cleanDataDir() {
        try {
            Files.createDirectories(dataDir);
            try (Stream<Path> files = Files.list(dataDir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    if (file.getFileName().toString().endsWith(".db") || file.getFileName().toString().contains(".db-")) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dataDir, e);
        }
    }
}
