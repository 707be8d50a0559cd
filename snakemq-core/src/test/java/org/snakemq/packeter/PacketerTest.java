package org.snakemq.packeter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.snakemq.link.Connection;
import org.snakemq.link.FakeTransport;
import org.snakemq.link.TestConnections;

class PacketerTest {

    private final FakeTransport transport = new FakeTransport();
    private final Packeter packeter = new Packeter(transport);
    private final Connection c = TestConnections.create(1);

    @BeforeEach
    void connect() {
        transport.connect(c);
    }

    @AfterEach
    void close() {
        transport.close();
    }

    private static byte[] framed(byte[]... payloads) {
        int length = 0;
        for (byte[] payload : payloads) {
            length += 4 + payload.length;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        for (byte[] payload : payloads) {
            out.putInt(payload.length).put(payload);
        }
        return out.array();
    }

    @Test
    void packetsSentInOnePassGoOutAsOneWriteWhenThePassEnds() {
        List<Integer> seenDuringPass = new ArrayList<>();
        transport.run(() -> {
            packeter.send(c, new byte[] {1});
            packeter.send(c, new byte[] {2, 3});
            seenDuringPass.add(transport.sent.size());
        });
        transport.run(() -> { }); // the flush task queued by the first send has run by now

        assertThat(seenDuringPass).containsExactly(0);
        assertThat(transport.sent).hasSize(1);
        assertThat(transport.sent.get(0).bytes()).isEqualTo(framed(new byte[] {1}, new byte[] {2, 3}));
    }

    @Test
    void flushWritesWhatIsQueuedBeforeThePassEnds() {
        List<Integer> seenDuringPass = new ArrayList<>();
        transport.run(() -> {
            packeter.send(c, new byte[] {1});
            packeter.flush(c);
            seenDuringPass.add(transport.sent.size());
            packeter.flush(c); // nothing queued: no empty write
            seenDuringPass.add(transport.sent.size());
            packeter.send(c, new byte[] {2});
        });
        transport.run(() -> { });

        assertThat(seenDuringPass).containsExactly(1, 1);
        assertThat(transport.sent).extracting(FakeTransport.Sent::bytes)
                .containsExactly(framed(new byte[] {1}), framed(new byte[] {2}));
    }

    @Test
    void flushOfAnUnknownConnectionDoesNothingAndFlushOffTheLoopIsRefused() {
        transport.run(() -> packeter.flush(TestConnections.create(7)));
        assertThat(transport.sent).isEmpty();
        assertThatThrownBy(() -> packeter.flush(TestConnections.create(7)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loop thread");
    }
}
