package com.example.quickstart;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.snakemq.autoconfigure.SnakeMqLifecycle;
import org.snakemq.messaging.Messaging;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The quick start's application as bob, configured by the README's application.yml with only the
 * ports and the file moved for a test: it starts a peer with a bound listener, and its TimeService
 * reaches alice (the same application, started first) through the injected RemoteClock.
 */
@SpringBootTest(properties = {
        "snakemq.listeners[0].host=127.0.0.1",
        "snakemq.listeners[0].port=0",
        "snakemq.storage.path=target/quickstart-bob.db"})
class QuickstartApplicationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static ConfigurableApplicationContext alice;

    @Autowired
    private Messaging messaging;

    @Autowired
    private SnakeMqLifecycle lifecycle;

    @Autowired
    private TimeService timeService;

    @DynamicPropertySource
    static void connectToAlice(DynamicPropertyRegistry registry) {
        alice = new SpringApplicationBuilder(QuickstartApplication.class).run("--spring.config.name=alice");
        int port = alice.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
        registry.add("snakemq.connectors[0].host", () -> "127.0.0.1");
        registry.add("snakemq.connectors[0].port", () -> port);
    }

    @AfterAll
    static void stopAlice() {
        if (alice != null) {
            alice.close();
        }
    }

    @Test
    void startsThePeerOfTheReadmeWithABoundListener() {
        assertThat(messaging.identity()).isEqualTo("bob");
        assertThat(lifecycle.isRunning()).isTrue();
        assertThat(lifecycle.boundAddresses()).singleElement()
                .extracting(InetSocketAddress::getPort).isNotEqualTo(0);
        assertThat(messaging.storage()).as("snakemq.storage.type: sqlite").isNotNull();
        assertThat(Path.of("target/quickstart-bob.db")).exists();
    }

    @Test
    void timeServiceAddsOnAliceThroughTheRemoteClock() {
        await().atMost(WAIT).until(() -> messaging.connectedPeers().contains("alice"));
        assertThat(timeService.sum(2, 3)).isEqualTo(5);
    }
}
