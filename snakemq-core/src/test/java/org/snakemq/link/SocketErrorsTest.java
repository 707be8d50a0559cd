package org.snakemq.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;

import org.junit.jupiter.api.Test;

class SocketErrorsTest {

    @Test
    void dropsTheNativeCallAndErrorNumberOfTheEpollTransport() {
        ConnectException refused = new ConnectException(
                "finishConnect(..) failed with error(-111): Connection refused: /127.0.0.1:1");
        assertThat(SocketErrors.describe(refused))
                .isEqualTo("java.net.ConnectException: Connection refused: /127.0.0.1:1");
        assertThat(SocketErrors.describe(new IOException("recvAddress(..) failed: Connection reset by peer")))
                .isEqualTo("java.io.IOException: Connection reset by peer");
    }

    @Test
    void leavesOtherMessagesAsTheyAre() {
        ConnectException refused = new ConnectException("Connection refused: /127.0.0.1:1");
        assertThat(SocketErrors.describe(refused)).isEqualTo(refused.toString());
        assertThat(SocketErrors.describe(new IOException())).isEqualTo("java.io.IOException");
        assertThat(SocketErrors.describe(null)).isEqualTo("cancelled");
    }
}
