package org.snakemq.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.snakemq.link.Connection;
import org.snakemq.link.Link;
import org.snakemq.link.Transport;

/**
 * The throttle's accuracy over real links: bytes per second actually delivered over a 5 s window,
 * for limits from 10 kB/s to 10 MB/s. Streams of one test run at the same time.
 */
class ThrottleRateTest {

    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final Duration WAIT = WINDOW.plusSeconds(10);
    private static final byte[] BLOCK = new byte[16 * 1024];

    /** Counts the bytes that arrive during {@link #WINDOW}, starting with the first one. */
    static final class Meter {
        final String name;
        final long limit;
        private long first = -1;
        private long bytes;
        private volatile boolean done;

        Meter(String name, long limit) {
            this.name = name;
            this.limit = limit;
        }

        synchronized void add(int n) {
            long now = System.nanoTime();
            if (first < 0) {
                first = now;
            }
            if (now - first <= WINDOW.toNanos()) {
                bytes += n;
            } else {
                done = true;
            }
        }

        boolean done() {
            return done;
        }

        synchronized double rate() {
            return bytes / (WINDOW.toNanos() / 1e9);
        }

        void assertAccurate() {
            double rate = rate();
            System.out.printf("%-34s limit %,12d B/s  measured %,14.0f B/s  (%+.1f%%)%n", name, limit, rate,
                    (rate / limit - 1) * 100);
            assertThat(rate).as(name).isBetween(limit * 0.9, limit * 1.1);
        }
    }

    /** Sends blocks on a connection whenever the transport takes them, until stopped. */
    static final class Pump {
        private final Transport transport;
        private volatile boolean running = true;

        Pump(Transport transport) {
            this.transport = transport;
        }

        void pump(Connection c) {
            // bounded: stops as soon as the transport's buffer (or the throttle's backlog) is full
            while (running && c.isOpen() && transport.isWritable(c)) {
                transport.send(c, Unpooled.wrappedBuffer(BLOCK), null);
            }
        }

        /** Starts on every connection and keeps going on every ready-to-send. */
        Pump everywhere() {
            transport.onConnect().add(this::pump);
            transport.onReadyToSend().add(this::pump);
            return this;
        }

        void stop() {
            running = false;
        }
    }

    static InetSocketAddress listen(Link link) {
        InetSocketAddress bound = link.addListener(new InetSocketAddress("127.0.0.1", 0));
        link.start();
        return bound;
    }

    static void connect(Link link, InetSocketAddress address) {
        link.addConnector(address);
        link.start();
    }

    /** Which side of a connection the throttle is on, and where the meter counts. */
    enum Direction {
        SEND {
            @Override
            Pump wire(Link sender, Link receiver, long limit, Meter meter) {
                receiver.onReceive().add((c, data) -> meter.add(data.readableBytes()));
                return new Pump(new Throttle(sender, limit)).everywhere();
            }
        },
        RECEIVE {
            @Override
            Pump wire(Link sender, Link receiver, long limit, Meter meter) {
                Throttle throttle = new Throttle(receiver, Throttle.UNLIMITED, limit);
                throttle.onReceive().add((c, data) -> meter.add(data.readableBytes()));
                return new Pump(sender).everywhere(); // as fast as TCP lets it
            }
        };

        /** Throttles one direction between the two links at {@code limit}; the pump feeds it. */
        abstract Pump wire(Link sender, Link receiver, long limit, Meter meter);
    }

    /** The low limits run side by side; 10 MB/s runs alone so two cores are enough to feed it. */
    @ParameterizedTest(name = "{0} at {1} B/s")
    @CsvSource({"SEND, 10000 100000 1000000", "SEND, 10000000", "RECEIVE, 10000 100000 1000000", "RECEIVE, 10000000"})
    void rateIsTheLimit(Direction direction, String limitList) {
        long[] limits = Arrays.stream(limitList.split(" ")).mapToLong(Long::parseLong).toArray();
        List<Link> links = new ArrayList<>();
        List<Meter> meters = new ArrayList<>();
        List<Pump> pumps = new ArrayList<>();
        try {
            for (long limit : limits) {
                Link sender = new Link();
                Link receiver = new Link();
                links.add(sender);
                links.add(receiver);
                Meter meter = new Meter(direction.name().toLowerCase(Locale.ROOT), limit);
                meters.add(meter);
                pumps.add(direction.wire(sender, receiver, limit, meter));
                connect(sender, listen(receiver));
            }
            await().atMost(WAIT).until(() -> meters.stream().allMatch(Meter::done));
        } finally {
            pumps.forEach(Pump::stop);
            links.forEach(Link::close);
        }
        meters.forEach(Meter::assertAccurate);
    }

    @Test
    void directionsAndConnectionsAreLimitedIndependently() {
        long limit = 100_000;
        Meter toFirst = new Meter("both ways: throttled -> first", limit);
        Meter fromFirst = new Meter("both ways: first -> throttled", limit);
        Meter toSecond = new Meter("other connection: -> second", limit);
        List<Pump> pumps = new ArrayList<>();
        try (Link throttled = new Link(); Link first = new Link(); Link second = new Link()) {
            Throttle throttle = new Throttle(throttled, limit);
            throttle.onReceive().add((c, data) -> fromFirst.add(data.readableBytes()));
            first.onReceive().add((c, data) -> toFirst.add(data.readableBytes()));
            second.onReceive().add((c, data) -> toSecond.add(data.readableBytes()));
            pumps.add(new Pump(throttle).everywhere());   // to both peers
            pumps.add(new Pump(first).everywhere());      // back, unthrottled on its side
            InetSocketAddress bound = listen(throttled);
            connect(first, bound);
            connect(second, bound);
            await().atMost(WAIT).until(() -> toFirst.done() && fromFirst.done() && toSecond.done());
            pumps.forEach(Pump::stop);
        }
        toFirst.assertAccurate();
        fromFirst.assertAccurate();
        toSecond.assertAccurate();
    }
}
