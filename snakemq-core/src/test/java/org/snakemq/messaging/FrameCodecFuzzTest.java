package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import org.snakemq.message.HeaderBlock;
import org.snakemq.message.Headers;
import org.snakemq.message.Message;
import org.snakemq.packeter.ProtocolException;
import org.snakemq.reliability.Fuzz;
import org.snakemq.reliability.HostileInput;
import org.snakemq.reliability.Runs;

/**
 * Seeded fuzzing of the frame parser, which a peer runs on untrusted packets: no input may raise
 * anything but {@link ProtocolException}, an accepted frame is consumed whole, and message frames,
 * with and without headers, round-trip.
 */
class FrameCodecFuzzTest {

    private static final Duration LIMIT = Duration.ofMinutes(Runs.isLong() ? 60 : 2);

    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger headersDecoded = new AtomicInteger();

    @Test
    void frameParserRaisesOnlyProtocolErrorsAndConsumesWhatItAccepts() {
        Fuzz.Result result = Fuzz.run("frame-parser", Runs.seed(202), Fuzz.tries("frames", 200_000, 20_000_000),
                LIMIT, (random, i) -> {
                    byte[] frame = HostileInput.frame(random);
                    ByteBuf packet = Unpooled.wrappedBuffer(frame);
                    try {
                        Frame decoded = FrameCodec.decode(packet);
                        accepted.incrementAndGet();
                        assertThat(packet.isReadable()).as("the whole frame is consumed").isFalse();
                        if (decoded instanceof Frame.MessageFrame m) {
                            assertThat(m.message().data()).hasSize(frame.length - 25);
                        }
                        if (decoded instanceof Frame.MessageWithHeaders m) {
                            Headers headers = m.message().headers();
                            assertThat(headers.size()).isLessThanOrEqualTo(Headers.MAX_COUNT);
                            assertThat(headers.encodedSize()).isLessThanOrEqualTo(Headers.MAX_ENCODED_BYTES);
                            assertThat(m.message().data()).as("data: what follows the header block")
                                    .hasSize(frame.length - 25 - HeaderBlock.length(headers));
                            headersDecoded.incrementAndGet();
                        }
                    } catch (ProtocolException expected) {
                        rejected.incrementAndGet();
                        assertThat(expected.getMessage()).isNotBlank();
                    } finally {
                        packet.release();
                    }
                });
        Runs.report("fuzz frame parser", result + ", " + rejected + " refused with ProtocolException, "
                + accepted + " decoded (" + headersDecoded + " with headers)");
        assertThat(headersDecoded.get()).as("header frames that got through the checks").isPositive();
    }

    @Test
    void messageFramesRoundTrip() {
        Fuzz.Result result = Fuzz.run("frame-round-trip", Runs.seed(303), Fuzz.tries("roundtrip", 5_000, 500_000),
                LIMIT, (random, i) -> {
                    byte[] data = HostileInput.randomBytes(random, random.nextInt(300));
                    Duration ttl = random.nextBoolean() ? null : Duration.ofMillis(random.nextLong(0, 1L << 40));
                    Message message = new Message(new UUID(random.nextLong(), random.nextLong()), data, ttl,
                            random.nextInt());
                    ByteBuf packet = Unpooled.wrappedBuffer(FrameCodec.message(message));
                    Frame decoded = FrameCodec.decode(packet);
                    packet.release();
                    Message back = ((Frame.MessageFrame) decoded).message();
                    assertThat(back.uuid()).isEqualTo(message.uuid());
                    assertThat(back.flags()).isEqualTo(message.flags());
                    assertThat(Arrays.equals(back.data(), data)).isTrue();
                    long field = FrameCodec.ttlField(ttl);
                    assertThat(back.ttl()).isEqualTo(field == 0xFFFF_FFFFL ? null : Duration.ofSeconds(field));
                });
        Runs.report("fuzz frame round trip", result.toString());
    }

    @Test
    void messageWithHeadersFramesRoundTrip() {
        Fuzz.Result result = Fuzz.run("headers-round-trip", Runs.seed(404), Fuzz.tries("roundtrip", 5_000, 500_000),
                LIMIT, (random, i) -> {
                    Map<String, String> entries = new LinkedHashMap<>();
                    int count = 1 + random.nextInt(random.nextInt(8) == 0 ? Headers.MAX_COUNT : 6);
                    for (int n = 0; n < count; n++) {
                        entries.put(randomText(random, 1 + random.nextInt(10)), randomText(random, random.nextInt(40)));
                    }
                    Message message = new Message(new UUID(random.nextLong(), random.nextLong()),
                            HostileInput.randomBytes(random, random.nextInt(300)), null, random.nextInt())
                            .withHeaders(Headers.of(entries));
                    ByteBuf packet = Unpooled.wrappedBuffer(FrameCodec.messageWithHeaders(message));
                    Frame decoded = FrameCodec.decode(packet);
                    packet.release();
                    assertThat(decoded).isEqualTo(new Frame.MessageWithHeaders(message));
                    assertThat(HeaderBlock.decode(HeaderBlock.encode(message.headers()))).isEqualTo(message.headers());
                });
        Runs.report("fuzz headers round trip", result.toString());
    }

    /** Text of any code points but unpaired surrogates, which UTF-8 cannot carry. */
    private static String randomText(Random random, int codePoints) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x80);
                case 1 -> 0x80 + random.nextInt(0x800 - 0x80);
                case 2 -> 0x10000 + random.nextInt(0x110000 - 0x10000);
                default -> {
                    int c = 0x800 + random.nextInt(0x10000 - 0x800);
                    yield Character.isSurrogate((char) c) ? 'x' : c;
                }
            };
            text.appendCodePoint(cp);
        }
        return text.toString();
    }
}
