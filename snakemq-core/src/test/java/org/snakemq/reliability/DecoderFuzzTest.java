package org.snakemq.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import org.snakemq.message.HeaderBlock;
import org.snakemq.message.Headers;
import org.snakemq.message.Message;
import org.snakemq.messaging.Frame;
import org.snakemq.messaging.FrameCodec;
import org.snakemq.packeter.PacketDecoder;
import org.snakemq.packeter.ProtocolException;

/**
 * Seeded fuzzing of the two decoders a peer runs on untrusted bytes: the packet decoder (framing)
 * and the frame parser. No input may raise anything but {@link ProtocolException}, and the packet
 * decoder must agree with a simple model of PROTOCOL.md part A while never buffering or allocating
 * more than the bytes that arrived, and never more than the packet limit.
 */
class DecoderFuzzTest {

    private static final Duration LIMIT = Duration.ofMinutes(Runs.isLong() ? 60 : 2);

    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger headersDecoded = new AtomicInteger();

    @Test
    void packetDecoderAgreesWithTheModelAndStaysWithinItsLimit() {
        Fuzz.Result result = Fuzz.run("packet-decoder", Runs.seed(101), Fuzz.tries("packets", 50_000, 5_000_000),
                LIMIT, (random, i) -> checkPacketDecoder(random));
        Runs.report("fuzz packet decoder", result + ", " + rejected + " streams refused (over-limit length),"
                + " " + accepted + " packets decoded");
    }

    private void checkPacketDecoder(Random random) {
        byte[] stream = HostileInput.stream(random);
        int limit = switch (random.nextInt(5)) {
            case 0 -> 1 + random.nextInt(8);
            case 1 -> 24 + random.nextInt(4);
            case 2 -> 64 * 1024 * 1024;
            default -> 1 + random.nextInt(5000);
        };
        Model expected = Model.of(stream, limit);
        RecordingAllocator allocator = new RecordingAllocator();
        PacketDecoder decoder = new PacketDecoder(allocator, () -> limit);
        List<byte[]> packets = new ArrayList<>();
        boolean failed = false;
        long fed = 0;
        for (byte[] piece : HostileInput.split(random, stream)) {
            fed += piece.length;
            ByteBuf in = Unpooled.wrappedBuffer(piece);
            try {
                decoder.feed(in, payload -> {
                    assertThat(payload.readableBytes()).as("packet within the limit").isLessThanOrEqualTo(limit);
                    byte[] copy = new byte[payload.readableBytes()];
                    payload.getBytes(payload.readerIndex(), copy);
                    packets.add(copy);
                });
            } catch (ProtocolException e) {
                assertThat(failed).as("one protocol error, then silence").isFalse();
                failed = true;
            } finally {
                in.release();
            }
            assertThat((long) decoder.bufferedBytes()).as("buffered bytes").isLessThan(4L + limit)
                    .isLessThanOrEqualTo(fed);
        }
        assertThat(failed).as("protocol error").isEqualTo(expected.error);
        if (failed) {
            rejected.incrementAndGet();
        }
        accepted.addAndGet(packets.size());
        assertThat(packets).as("packets").hasSameSizeAs(expected.packets);
        for (int i = 0; i < packets.size(); i++) {
            assertThat(packets.get(i)).as("packet %d", i).isEqualTo(expected.packets.get(i));
        }
        assertThat(allocator.largestRequest).as("largest allocation: at most twice what arrived")
                .isLessThanOrEqualTo(2 * fed);
        decoder.stop();
        assertThat(decoder.bufferedBytes()).isZero();
    }

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

    /** PROTOCOL.md part A on a whole stream: packets until the first over-limit length prefix. */
    private record Model(List<byte[]> packets, boolean error) {
        static Model of(byte[] stream, int limit) {
            List<byte[]> packets = new ArrayList<>();
            ByteBuffer buffer = ByteBuffer.wrap(stream);
            while (buffer.remaining() >= 4) {
                long length = Integer.toUnsignedLong(buffer.getInt(buffer.position()));
                if (length > limit) {
                    return new Model(packets, true);
                }
                if (buffer.remaining() - 4 < length) {
                    break;
                }
                buffer.position(buffer.position() + 4);
                byte[] packet = new byte[(int) length];
                buffer.get(packet);
                packets.add(packet);
            }
            return new Model(packets, false);
        }
    }

    /** Remembers the largest buffer the decoder asked for. */
    private static final class RecordingAllocator extends AbstractByteBufAllocator {
        long largestRequest;

        RecordingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            largestRequest = Math.max(largestRequest, initialCapacity);
            return Unpooled.buffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            largestRequest = Math.max(largestRequest, initialCapacity);
            return Unpooled.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
