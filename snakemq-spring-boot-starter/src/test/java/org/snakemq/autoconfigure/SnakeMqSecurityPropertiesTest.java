package org.snakemq.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import org.snakemq.messaging.Messaging;

/** {@code snakemq.security.*} reaches the messaging options. */
class SnakeMqSecurityPropertiesTest {

    private final ApplicationContextRunner runner = SnakeMqContexts.snakeMq();

    @Test
    void defaultsLeaveVerifiedIdentitiesOffAndAllowAThousandUnidentifiedConnections() {
        runner.withPropertyValues("snakemq.identity=bob").run(context -> {
            Messaging messaging = context.getBean(Messaging.class);
            assertThat(messaging.options().requireVerifiedIdentity()).isFalse();
            assertThat(messaging.options().maxUnidentified()).isEqualTo(1_000);
        });
    }

    @Test
    void maxUnidentifiedConnectionsIsAPropertyAndMustBePositive() {
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.security.max-unidentified-connections=7")
                .run(context -> assertThat(context.getBean(Messaging.class).options().maxUnidentified()).isEqualTo(7));
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.security.max-unidentified-connections=0")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .hasStackTraceContaining("snakemq.security.max-unidentified-connections");
                });
    }

    @Test
    void aConnectionBeyondTheUnidentifiedLimitIsClosedWithoutAGreeting() {
        runner.withPropertyValues(SnakeMqContexts.BOB_LISTENING)
                .withPropertyValues("snakemq.security.max-unidentified-connections=1").run(bob -> {
            int port = bob.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            try (Socket silent = connect(port)) {
                assertThat(silent.getInputStream().read()).as("the first is greeted").isNotEqualTo(-1);
                int read;
                try (Socket over = connect(port)) {
                    InputStream in = over.getInputStream();
                    read = in.read();
                } catch (SocketException reset) {
                    read = -1;
                }
                assertThat(read).as("closed without a byte").isEqualTo(-1);
                assertThat(bob.getBean(Messaging.class).refusedUnidentified()).isEqualTo(1);
            }
        });
    }

    private static Socket connect(int port) throws java.io.IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        return socket;
    }
}
