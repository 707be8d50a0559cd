package org.snakemq.packeter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The size of a connection's coalescing buffer follows what its writes held. */
class PacketerBufferSizeTest {

    @Test
    void aConnectionThatWritesLittleGetsASmallBuffer() {
        assertThat(Packeter.pendingCapacity(0, 29)).isEqualTo(256);
        assertThat(Packeter.pendingCapacity(29, 29)).isEqualTo(256);
        assertThat(Packeter.pendingCapacity(300, 29)).isEqualTo(512);
        assertThat(Packeter.pendingCapacity(4096, 29)).isEqualTo(4096);
    }

    @Test
    void aStreamingConnectionStartsAtTheFullCoalescingSize() {
        assertThat(Packeter.pendingCapacity(65_536, 104)).isEqualTo(65_536);
        assertThat(Packeter.pendingCapacity(70_000, 104)).isEqualTo(65_536);
        assertThat(Packeter.pendingCapacity(40_000, 104)).isEqualTo(65_536);
        assertThat(Packeter.pendingCapacity(4097, 104)).as("any write above 4 KiB").isEqualTo(65_536);
    }

    @Test
    void aLargePacketGetsRoomForItself() {
        assertThat(Packeter.pendingCapacity(0, 1_000_004)).isEqualTo(1_000_004);
        assertThat(Packeter.pendingCapacity(200, 5000)).isEqualTo(65_536);
    }
}
