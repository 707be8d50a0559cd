package org.snakemq.packeter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import org.snakemq.reliability.Fuzz;
import org.snakemq.reliability.HostileInput;
import org.snakemq.reliability.Runs;

/**
 * Seeded fuzzing of the packet decoder, which a peer runs on untrusted bytes: no input may raise
 * anything but {@link ProtocolException}, and the decoder must agree with a simple model of
 * PROTOCOL.md part A while never buffering or allocating more than the bytes that arrived, and never
 * more than the packet limit.
 */
class PacketDecoderFuzzTest {

    private static final Duration LIMIT = Duration.ofMinutes(Runs.isLong() ? 60 : 2);

    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();

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
