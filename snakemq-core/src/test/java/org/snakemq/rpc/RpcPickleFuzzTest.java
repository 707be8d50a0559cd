package org.snakemq.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.snakemq.packeter.Packeter;
import org.snakemq.reliability.Fuzz;
import org.snakemq.reliability.HostileInput;
import org.snakemq.reliability.Runs;
import org.snakemq.testing.LogCapture;
import org.snakemq.testing.RawPeer;

/**
 * Seeded fuzzing of the RPC pickle decoder ({@link RpcCodec#decodeRequest}, {@link RpcCodec#decodeReply})
 * with mutated real pickles (protocols 2 to 5, from Python) and generated ones: every input decodes or
 * raises {@link RpcProtocolException}, within bounded time, allocating far less than the maximum packet
 * size. Then the same inputs go to a live RPC server, which must keep answering a well-behaved client.
 */
class RpcPickleFuzzTest {

    private static final Duration LIMIT = Duration.ofMinutes(Runs.isLong() ? 60 : 2);
    private static final String[] VECTORS = {"request-p2", "request-p3", "request-p4", "request-p5",
            "reply-value-p2", "reply-value-p3", "reply-value-p4", "reply-value-p5",
            "reply-exception-p2", "reply-exception-p3", "reply-exception-p4", "reply-exception-p5"};
    private static final List<byte[]> SEEDS = new ArrayList<>();

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void loadSeeds() throws IOException {
        for (String name : VECTORS) {
            try (InputStream in = RpcPickleFuzzTest.class.getResourceAsStream("/rpc-vectors/" + name + ".bin")) {
                SEEDS.add(in.readAllBytes());
            }
        }
    }

    /** A pickled request or reply: a real one from Python, a generated one, or either mutated. */
    private static byte[] input(Random random) {
        int kind = random.nextInt(10);
        byte[] seed;
        if (kind < 5) {
            seed = SEEDS.get(random.nextInt(SEEDS.size()));
        } else {
            Map<String, Object> kwargs = new LinkedHashMap<>();
            kwargs.put("k", value(random, 0));
            seed = random.nextBoolean()
                    ? RpcCodec.encodeRequest(new RpcRequest(random.nextBoolean(), "obj", "m",
                    java.util.Arrays.asList(value(random, 0), value(random, 0)), kwargs, HostileInput.randomBytes(random, 16)))
                    : RpcCodec.encodeReturn(HostileInput.randomBytes(random, 16), value(random, 0));
        }
        if (kind == 9) {
            return HostileInput.concat(random.nextBoolean() ? "rpcreq".getBytes(StandardCharsets.US_ASCII)
                    : "rpcrep".getBytes(StandardCharsets.US_ASCII), HostileInput.randomBytes(random, random.nextInt(200)));
        }
        if (random.nextInt(6) == 0) {
            return seed;
        }
        byte[] mutated = HostileInput.mutate(random, seed);
        if (random.nextInt(3) == 0) {
            mutated = hugeLength(random, mutated);
        }
        return mutated;
    }

    /** Puts an opcode with a length prefix far beyond the input (BINBYTES8, BINUNICODE, LONG4, ...) somewhere. */
    private static byte[] hugeLength(Random random, byte[] bytes) {
        byte[][] opcodes = {
                {(byte) 0x8e, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 0, 0, 0, 0}, // BINBYTES8
                {'B', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f},                   // BINBYTES
                {'X', (byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0x7f},                   // BINUNICODE
                {(byte) 0x8b, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f},           // LONG4
                {(byte) 0x96, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 0, 0, 0, 0}, // BYTEARRAY8
                {'T', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f},                   // BINSTRING
                {(byte) 0x8d, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, // BINUNICODE8
        };
        byte[] op = opcodes[random.nextInt(opcodes.length)];
        int at = 6 + random.nextInt(Math.max(1, bytes.length - 6));
        at = Math.min(at, bytes.length);
        byte[] out = new byte[bytes.length + op.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(op, 0, out, at, op.length);
        System.arraycopy(bytes, at, out, at + op.length, bytes.length - at);
        return out;
    }

    private static Object value(Random random, int depth) {
        int kind = depth > 3 ? random.nextInt(5) : random.nextInt(8);
        return switch (kind) {
            case 0 -> random.nextInt();
            case 1 -> "s" + random.nextInt(1000) + "\u017e";
            case 2 -> HostileInput.randomBytes(random, random.nextInt(20));
            case 3 -> random.nextDouble();
            case 4 -> random.nextBoolean() ? null : random.nextLong();
            case 5 -> java.util.Arrays.asList(value(random, depth + 1), value(random, depth + 1));
            case 6 -> {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("a" + depth, value(random, depth + 1));
                yield map;
            }
            default -> new java.math.BigInteger(70, random);
        };
    }

    @Test
    void decodersRaiseOnlyProtocolErrorsInBoundedTimeAndMemory() {
        AtomicInteger refused = new AtomicInteger();
        AtomicLong mostAllocated = new AtomicLong();
        Fuzz.Result result = Fuzz.run("rpc-pickle", Runs.seed(505), Fuzz.tries("pickles", 30_000, 3_000_000),
                LIMIT, (random, i) -> {
                    byte[] data = input(random);
                    long threadId = Thread.currentThread().getId();
                    long before = THREADS.getThreadAllocatedBytes(threadId);
                    for (boolean request : new boolean[] {true, false}) {
                        try {
                            if (request) {
                                RpcCodec.decodeRequest(data);
                            } else {
                                RpcCodec.decodeReply(data);
                            }
                        } catch (RpcProtocolException expected) {
                            refused.incrementAndGet();
                        }
                    }
                    long allocated = THREADS.getThreadAllocatedBytes(threadId) - before;
                    mostAllocated.accumulateAndGet(allocated, Math::max);
                    assertThat(allocated).as("bytes allocated decoding %d input bytes", data.length)
                            .isLessThan(Packeter.DEFAULT_MAX_PACKET_SIZE);
                });
        Runs.report("fuzz rpc pickle decoder", result + ", " + refused + " of " + 2 * result.tries()
                + " decodes refused with RpcProtocolException, at most " + mostAllocated + " bytes allocated per input");
    }

    /** Hostile requests to a live server: it keeps answering a good client and logs no error. */
    @Test
    void aLiveServerSurvivesHostileRequests() throws IOException {
        int tries = Fuzz.tries("rpc-live", 300, 20_000);
        try (LogCapture log = new LogCapture("snakemq"); RpcPair pair = new RpcPair().start()) {
            pair.server.register("calc", new Object() {
                public int add(int a, int b) {
                    return a + b;
                }
            });
            try (RawPeer mallory = new RawPeer(pair.bob.listen())) {
                mallory.handshakeWithAcks("mallory");
                await().atMost(Duration.ofSeconds(10)).until(() -> pair.bob.messaging.isConnected("mallory"));
                Fuzz.Result result = Fuzz.run("rpc-live", Runs.seed(606), tries, LIMIT, (random, i) -> {
                    byte[] data = input(random);
                    mallory.sendPacket(RawPeer.messageFrame(UUID.randomUUID(), 0, 0, data));
                    if (i % 10 == 9) {
                        assertThat(pair.client.call("bob", "calc", "add", i, 1)).isEqualTo(i + 1);
                    }
                });
                assertThat(pair.client.call("bob", "calc", "add", 2, 3)).isEqualTo(5);
                assertThat(log.errors()).as("errors logged").isEmpty();
                Runs.report("fuzz rpc live server", result + ", good calls after every 10 hostile requests all answered");
            }
        }
    }
}
