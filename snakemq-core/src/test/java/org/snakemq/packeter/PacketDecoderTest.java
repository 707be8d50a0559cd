package org.snakemq.packeter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class PacketDecoderTest {

    private final List<byte[]> packets = new ArrayList<>();
    private int limit = 1024;
    private final PacketDecoder decoder = new PacketDecoder(PooledByteBufAllocator.DEFAULT, () -> limit);

    private void feed(byte[] bytes) throws ProtocolException {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        decoder.feed(buf, p -> packets.add(ByteBufUtil.getBytes(p)));
        buf.release();
    }

    private static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    /** Heap buffers, unpooled, with the initial capacity of every allocation recorded. */
    private static final class RecordingAllocator extends AbstractByteBufAllocator {
        final List<Integer> allocations = new ArrayList<>();

        RecordingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            allocations.add(initialCapacity);
            return Unpooled.buffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return newHeapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    /** Records the size of every buffer the decoders below allocate. */
    private final RecordingAllocator recording = new RecordingAllocator();

    @Test
    void eachPacketSeesOnlyItsPayloadHoweverMuchOfItTheSinkReads() throws ProtocolException {
        byte[] a = frame(new byte[] {1, 2, 3});
        byte[] b = frame(new byte[] {4, 5});
        byte[] c = frame(new byte[] {6});
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBuffer.allocate(a.length + b.length + c.length + 2)
                .put(a).put(b).put(c).put(new byte[] {0, 0}).array());
        List<Integer> seen = new ArrayList<>();
        decoder.feed(buf, p -> {
            seen.add(p.readableBytes());
            seen.add((int) p.readByte()); // consumes part of the payload only
            assertThatThrownBy(() -> p.skipBytes(p.readableBytes() + 1)).isInstanceOf(IndexOutOfBoundsException.class);
        });
        assertThat(seen).containsExactly(3, 1, 2, 4, 1, 6);
        assertThat(decoder.bufferedBytes()).as("the 2 bytes of an unfinished length prefix").isEqualTo(2);
        assertThat(buf.readerIndex()).isEqualTo(buf.writerIndex());
        buf.release();
    }

    @Test
    void aLargePacketInPiecesIsBufferedOnceAtItsSizeAndAnAnnouncementAloneBuysLittle() throws ProtocolException {
        PacketDecoder large = new PacketDecoder(recording, () -> 1 << 20);
        byte[] payload = new byte[10_000];
        new Random(7).nextBytes(payload);
        byte[] stream = frame(payload);
        int[] cuts = {0, 6_000, 9_000, stream.length};
        for (int i = 0; i + 1 < cuts.length; i++) {
            ByteBuf piece = Unpooled.wrappedBuffer(stream, cuts[i], cuts[i + 1] - cuts[i]);
            large.feed(piece, p -> packets.add(ByteBufUtil.getBytes(p)));
            piece.release();
        }
        assertThat(packets).containsExactly(payload);
        assertThat(recording.allocations).as("one buffer, the size of the whole packet").containsExactly(stream.length);

        recording.allocations.clear();
        ByteBuf announcement = Unpooled.buffer().writeInt(1_000_000).writeZero(96);
        large.feed(announcement, p -> packets.add(ByteBufUtil.getBytes(p)));
        assertThat(recording.allocations).as("twice the 100 bytes that arrived, not the megabyte announced")
                .containsExactly(200);
        large.stop();
    }

    @Test
    void betweenLargeReadsOnlyTheUnfinishedPacketIsKeptNotTheRead() throws ProtocolException {
        PacketDecoder streaming = new PacketDecoder(recording, () -> 1 << 20);
        ByteBuffer stream = ByteBuffer.allocate(3_000 * 104);
        for (int i = 0; i < 3_000; i++) {
            byte[] payload = new byte[100];
            payload[0] = (byte) i;
            stream.put(frame(payload));
        }
        byte[] bytes = stream.array();
        List<Byte> firsts = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += 65_537) { // reads of 64 KiB + 1 end inside packets
            ByteBuf read = Unpooled.wrappedBuffer(bytes, at, Math.min(65_537, bytes.length - at));
            streaming.feed(read, p -> firsts.add(p.getByte(p.readerIndex())));
            read.release();
            assertThat(streaming.bufferedBytes()).isLessThan(104);
        }
        assertThat(firsts).hasSize(3_000);
        assertThat(firsts.get(2_999)).isEqualTo((byte) 2_999);
        assertThat(recording.allocations).as("buffers for unfinished packets only").allMatch(size -> size <= 104);
    }

    @Test
    void splitsManyPacketsFromOneRead() throws ProtocolException {
        byte[] a = frame(new byte[] {1, 2, 3});
        byte[] b = frame(new byte[0]);
        byte[] c = frame(new byte[] {9});
        feed(ByteBuffer.allocate(a.length + b.length + c.length).put(a).put(b).put(c).array());
        assertThat(packets).containsExactly(new byte[] {1, 2, 3}, new byte[0], new byte[] {9});
        assertThat(decoder.bufferedBytes()).isZero();
    }

    @Test
    void reassemblesPacketsArrivingOneByteAtATime() throws ProtocolException {
        byte[] stream = ByteBuffer.allocate(16).put(frame(new byte[] {5, 6, 7, 8, 9, 10})).put(frame(new byte[] {1, 2}))
                .array();
        for (byte b : stream) {
            feed(new byte[] {b});
        }
        assertThat(packets).containsExactly(new byte[] {5, 6, 7, 8, 9, 10}, new byte[] {1, 2});
    }

    @Test
    void hugeLengthPrefixIsRefusedWithoutBufferingAnything() {
        assertThatThrownBy(() -> feed(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2}))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("4294967295 bytes exceeds the maximum of 1024");
        assertThat(decoder.bufferedBytes()).isZero();
        assertThat(packets).isEmpty();
    }

    @Test
    void inputAfterAnErrorIsIgnored() throws ProtocolException {
        assertThatThrownBy(() -> feed(frame(new byte[2000]))).isInstanceOf(ProtocolException.class);
        feed(frame(new byte[] {1}));
        assertThat(packets).isEmpty();
    }

    @Test
    void truncatedPacketStaysBufferedOnlyAsFarAsItArrived() throws ProtocolException {
        feed(new byte[] {0, 0, 3, 0, 1, 2, 3});
        assertThat(packets).isEmpty();
        assertThat(decoder.bufferedBytes()).isEqualTo(7);
        decoder.stop();
        assertThat(decoder.bufferedBytes()).isZero();
    }

    @Test
    void limitIsReadBeforeEveryPacket() throws ProtocolException {
        limit = 4;
        byte[] small = frame(new byte[] {1, 2, 3, 4});
        byte[] large = frame(new byte[100]);
        byte[] both = ByteBuffer.allocate(small.length + large.length).put(small).put(large).array();
        ByteBuf buf = Unpooled.wrappedBuffer(both);
        decoder.feed(buf, p -> {
            packets.add(ByteBufUtil.getBytes(p));
            limit = 1024; // as messaging raises the limit once the peer identified itself
        });
        buf.release();
        assertThat(packets).hasSize(2);
    }

    @Test
    void randomBytesNeverYieldMoreThanTheLimitOrThrowAnythingElse() {
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            PacketDecoder fresh = new PacketDecoder(PooledByteBufAllocator.DEFAULT, () -> 1024);
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            ByteBuf buf = Unpooled.wrappedBuffer(junk);
            try {
                fresh.feed(buf, p -> assertThat(p.readableBytes()).isLessThanOrEqualTo(1024));
            } catch (ProtocolException expected) {
                assertThat(expected).hasMessageContaining("exceeds the maximum");
            } finally {
                buf.release();
                fresh.stop();
            }
            assertThat(fresh.bufferedBytes()).isZero();
        }
    }
}
