package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import org.snakemq.message.Message;
import org.snakemq.packeter.ProtocolException;
import org.snakemq.reliability.Fuzz;
import org.snakemq.reliability.HostileInput;
import org.snakemq.reliability.Runs;

/**
 * Seeded fuzzing of the frame parser, which a peer runs on untrusted packets: no input may raise
 * anything but {@link ProtocolException}, an accepted frame is consumed whole, and message frames
 * round-trip.
 */
class FrameCodecFuzzTest {

    private static final Duration LIMIT = Duration.ofMinutes(Runs.isLong() ? 60 : 2);

    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();

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
                    } catch (ProtocolException expected) {
                        rejected.incrementAndGet();
                        assertThat(expected.getMessage()).isNotBlank();
                    } finally {
                        packet.release();
                    }
                });
        Runs.report("fuzz frame parser", result + ", " + rejected + " refused with ProtocolException, "
                + accepted + " decoded");
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
}
