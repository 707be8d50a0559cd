package org.snakemq.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.snakemq.message.Message;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.packeter.ProtocolException;
import org.snakemq.testing.LogCapture;
import org.snakemq.testing.RawPeer;
import org.snakemq.testing.TestPeer;

/**
 * A live peer is fed generated connection sessions through raw sockets: handshakes in every order
 * and shape (versions, capabilities, identities empty, overlong, invalid UTF-8, already taken),
 * messages and ACKs before and after identification, unknown frames, mutated streams, all in random
 * fragments. After every session a well-behaved peer must still get a message through, an
 * identified peer must stay connected, and the peer must report nothing but protocol errors.
 */
class HandshakeFuzzTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void generatedHandshakesNeitherCrashNorHangThePeer() throws IOException {
        int tries = Fuzz.tries("handshakes", 400, 20_000);
        AtomicInteger closedByPeer = new AtomicInteger();
        try (LogCapture log = new LogCapture("snakemq");
             TestPeer bob = new TestPeer("bob", null, MessagingOptions.defaults()
                     .withHandshakeTimeout(Duration.ofSeconds(2)))) {
            InetSocketAddress address = bob.listen();
            bob.start();
            try (RawPeer holder = new RawPeer(address)) {
                holder.handshake("holder");
                holder.readHandshake();
                await().atMost(WAIT).until(() -> bob.messaging.isConnected("holder"));

                Fuzz.Result result = Fuzz.run("handshakes", Runs.seed(404), tries,
                        Duration.ofMinutes(Runs.isLong() ? 120 : 3), (random, i) -> {
                            if (hostileSession(address, random)) {
                                closedByPeer.incrementAndGet();
                            }
                            assertStillServes(bob, address, i);
                            assertThat(bob.messaging.isConnected("holder")).as("identified peer kept").isTrue();
                            assertThat(log.errors()).as("errors logged").isEmpty();
                        });

                assertThat(bob.errors).as("only protocol errors reported")
                        .allSatisfy(e -> assertThat(e).isInstanceOf(ProtocolException.class));
                Message last = Message.of("to holder");
                bob.messaging.send("holder", last);
                List<Map.Entry<UUID, String>> got = holder.readMessages(1);
                assertThat(got).extracting(Map.Entry::getValue).containsExactly("to holder");
                Runs.report("fuzz handshakes", result + ", " + closedByPeer + " sessions closed by the peer, "
                        + bob.errors.size() + " protocol errors reported, 0 other errors");
            }
        }
    }

    /** Sends one generated session and closes it; returns whether the peer closed it first. */
    private static boolean hostileSession(InetSocketAddress address, Random random) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        if (random.nextInt(8) != 0) {
            frames.add(ByteBuffer.allocate(5).put((byte) 0).putInt(random.nextInt(6) == 0 ? random.nextInt() : 1).array());
        }
        if (random.nextBoolean()) {
            int size = random.nextInt(6) == 0 ? random.nextInt(9) : 4;
            ByteBuffer caps = ByteBuffer.allocate(1 + size).put((byte) 0x40);
            for (int i = 0; i < size; i++) {
                caps.put((byte) (i == size - 1 ? random.nextInt(4) : 0));
            }
            frames.add(caps.array());
        }
        if (random.nextInt(4) == 0) {
            frames.add(HostileInput.frame(random)); // something before identification
        }
        if (random.nextInt(10) != 0) {
            frames.add(HostileInput.concat(new byte[] {2}, identityBytes(random)));
        }
        int after = random.nextInt(6);
        for (int i = 0; i < after; i++) {
            frames.add(random.nextInt(3) == 0 ? HostileInput.concat(new byte[] {2}, identityBytes(random))
                    : HostileInput.frame(random));
        }
        byte[] stream = HostileInput.packets(frames);
        if (random.nextInt(4) == 0) {
            stream = HostileInput.mutate(random, stream);
        }
        try (RawPeer hostile = new RawPeer(address)) {
            try {
                for (byte[] piece : HostileInput.split(random, stream)) {
                    hostile.sendRaw(piece);
                }
            } catch (IOException closedWhileSending) {
                return true;
            }
            return random.nextInt(3) == 0 && hostile.closedWithin(Duration.ofMillis(20));
        }
    }

    /** Identities of every shape, sometimes one that is taken, never one the checks use. */
    private static byte[] identityBytes(Random random) {
        if (random.nextInt(10) == 0) {
            return "holder".getBytes(StandardCharsets.UTF_8);
        }
        byte[] bytes = HostileInput.identity(random);
        if (new String(bytes, StandardCharsets.UTF_8).startsWith("good-")) {
            return "x".getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }

    private static void assertStillServes(TestPeer bob, InetSocketAddress address, int tryIndex) throws IOException {
        String text = "alive-" + tryIndex;
        try (RawPeer good = new RawPeer(address)) {
            good.handshake("good-" + tryIndex);
            good.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0xFFFFFFFFL, 0, text.getBytes(StandardCharsets.UTF_8)));
            await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> bob.received.stream().anyMatch(r -> r.from().equals("good-" + tryIndex)
                            && r.message().text().equals(text)));
        }
    }
}
