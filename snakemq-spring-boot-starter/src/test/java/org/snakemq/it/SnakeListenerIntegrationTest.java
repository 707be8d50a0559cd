package org.snakemq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.snakemq.it.LoopbackApplications.start;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

import org.snakemq.autoconfigure.delivery.SnakeListenerContainer;
import org.snakemq.delivery.DeliveryAccessPolicy;
import org.snakemq.delivery.Delivery;
import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.spring.SnakeListener;
import org.snakemq.spring.SnakeMessageReceivedEvent;
import org.snakemq.spring.endpoint.SnakeMqEndpoint;
import org.snakemq.storage.DeadLetter;

/**
 * A Boot application receiving through {@code @SnakeListener} methods and {@code @EventListener}s: a
 * message is acknowledged to its sender only once they handled it; failures are retried, then
 * dead-lettered.
 */
class SnakeListenerIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String[] FAST_RETRY = {"snakemq.delivery.retry.max-attempts=3",
            "snakemq.delivery.retry.initial-delay=10ms", "snakemq.delivery.retry.max-delay=20ms"};

    @TempDir
    Path dir;

    @Test
    void listenersThatThrowAreRetriedAndAPoisonMessageBecomesADeadLetterWhileTheSenderIsToldOnlyAtTheEnd() {
        try (ConfigurableApplicationContext bob = start(ListenerApplication.class, "bob", FAST_RETRY[0], FAST_RETRY[1],
                FAST_RETRY[2], "management.endpoints.web.exposure.include=snakemq",
                "management.endpoint.snakemq.access=unrestricted");
             ConfigurableApplicationContext alice = startAlice(bob)) {
            Messaging aliceMessaging = alice.getBean(Messaging.class);
            Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
            aliceMessaging.onMessageSent().add((c, ident, uuid) -> acknowledged.add(uuid));
            Orders orders = bob.getBean(Orders.class);
            await().atMost(WAIT).until(() -> aliceMessaging.isConnected("bob"));
            List<Message> sent = new ArrayList<>();
            for (String text : List.of("order-1", "flaky-order", "poison", "order-4")) {
                Message message = Message.of(text);
                sent.add(message);
                aliceMessaging.send("bob", message);
            }
            await().atMost(WAIT).until(() -> acknowledged.size() == 4);
            // a retry calls every listener of the message again: order-1 failed in the event listener
            assertThat(orders.handled).containsExactly("order-1", "order-1#2", "flaky-order#2", "order-4");
            assertThat(orders.threads).allSatisfy(name -> assertThat(name).startsWith("snakemq-handler-"));
            assertThat(orders.events).as("the event listener threw once for order-1: retried")
                    .containsExactly("order-1#1", "order-1#2", "flaky-order#2", "order-4#1");
            List<DeadLetter> letters = bob.getBean(SnakeListenerContainer.class).deliveries().listDeadLetters(10);
            assertThat(letters).singleElement().satisfies(letter -> {
                assertThat(letter.uuid()).isEqualTo(sent.get(2).uuid());
                assertThat(letter.sender()).isEqualTo("alice");
                assertThat(letter.attempts()).isEqualTo(3);
                assertThat(letter.errorMessage()).isEqualTo("cannot parse poison");
            });
            io.micrometer.core.instrument.MeterRegistry meters = bob.getBean(io.micrometer.core.instrument.MeterRegistry.class);
            assertThat(meters.get("snakemq.delivery.dead.letters").functionCounter().count()).isEqualTo(1);
            assertThat(meters.get("snakemq.delivery.completed").functionCounter().count()).isEqualTo(3);
            assertThat(meters.get("snakemq.delivery.failures").functionCounter().count())
                    .as("order-1 once, flaky-order once, poison three times").isEqualTo(5);

            SnakeMqEndpoint endpoint = bob.getBean(SnakeMqEndpoint.class);
            SnakeMqEndpoint.DeadLetters listed = (SnakeMqEndpoint.DeadLetters) endpoint.section("deadletters");
            assertThat(listed.count()).isEqualTo(1);
            long id = listed.deadLetters().get(0).id();
            assertThat(listed.deadLetters().get(0).dataBase64())
                    .isEqualTo(java.util.Base64.getEncoder().encodeToString("poison".getBytes()));
            SnakeMqEndpoint.ReplayResult failed = endpoint.replay("deadletters", String.valueOf(id));
            assertThat(failed.replayed()).isFalse();
            assertThat(failed.outcome()).contains("cannot parse poison");
            assertThat(endpoint.item("deadletters", String.valueOf(id))).as("kept after a failed replay").isNotNull();
            assertThat(endpoint.remove("deadletters", String.valueOf(id)).count()).isEqualTo(1);
            assertThat(endpoint.overview().deadLetters()).isZero();
        }
    }

    @Test
    void aTransactionalListenerWritesInTheStoragesTransactionAndARestartedPeerDoesNotHandleARepeat() throws Exception {
        Path file = dir.resolve("bob.db");
        String[] storage = {"snakemq.storage.type=sqlite", "snakemq.storage.path=" + file, FAST_RETRY[0],
                FAST_RETRY[1], FAST_RETRY[2]};
        try (ConfigurableApplicationContext bob = start(TransactionalApplication.class, "bob", storage)) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS booked (sender TEXT, body TEXT)");
            }
            try (ConfigurableApplicationContext alice = startAlice(bob)) {
                Messaging aliceMessaging = alice.getBean(Messaging.class);
                List<UUID> acknowledged = new CopyOnWriteArrayList<>();
                aliceMessaging.onMessageSent().add((c, ident, uuid) -> acknowledged.add(uuid));
                await().atMost(WAIT).until(() -> aliceMessaging.isConnected("bob"));
                aliceMessaging.send("bob", Message.of("seat 1A"));
                aliceMessaging.send("bob", Message.of("seat 2B"));
                await().atMost(WAIT).until(() -> acknowledged.size() == 2);
            }
        }
        assertThat(rows(file)).as("the first attempt of each rolled back").containsExactly("alice:seat 1A",
                "alice:seat 2B");
    }

    @Test
    void accessPolicyBeansKeepARefusedSendersMessagesFromEveryListenerAndAcknowledgeThem() {
        try (ConfigurableApplicationContext bob = start(PolicyApplication.class, "bob");
             ConfigurableApplicationContext alice = startPeer(bob, "alice");
             ConfigurableApplicationContext mallory = startPeer(bob, "mallory")) {
            Messaging aliceMessaging = alice.getBean(Messaging.class);
            Messaging malloryMessaging = mallory.getBean(Messaging.class);
            List<UUID> malloryAcknowledged = new CopyOnWriteArrayList<>();
            malloryMessaging.onMessageSent().add((c, ident, uuid) -> malloryAcknowledged.add(uuid));
            List<UUID> aliceAcknowledged = new CopyOnWriteArrayList<>();
            aliceMessaging.onMessageSent().add((c, ident, uuid) -> aliceAcknowledged.add(uuid));
            await().atMost(WAIT).until(() -> aliceMessaging.isConnected("bob") && malloryMessaging.isConnected("bob"));

            Message forged = Message.of("pay mallory");
            malloryMessaging.send("bob", forged);
            await().atMost(WAIT).until(() -> malloryAcknowledged.equals(List.of(forged.uuid())));
            aliceMessaging.send("bob", Message.of("pay the rent"));
            await().atMost(WAIT).until(() -> aliceAcknowledged.size() == 1);

            Inbox inbox = bob.getBean(Inbox.class);
            assertThat(inbox.handled).containsExactly("alice:pay the rent");
            assertThat(inbox.events).containsExactly("alice:pay the rent");
            SnakeListenerContainer container = bob.getBean(SnakeListenerContainer.class);
            assertThat(container.deliveries().stats().refused()).isEqualTo(1);
            assertThat(container.deliveries().listDeadLetters(10)).isEmpty();
        }
    }

    private ConfigurableApplicationContext startAlice(ConfigurableApplicationContext bob) {
        return startPeer(bob, "alice");
    }

    private ConfigurableApplicationContext startPeer(ConfigurableApplicationContext bob, String identity) {
        int port = bob.getBean(Link.class).listenerAddresses().get(0).getPort();
        return start(PlainApplication.class, identity, "snakemq.connectors[0].host=127.0.0.1",
                "snakemq.connectors[0].port=" + port, "snakemq.connectors[0].reconnect-interval=100ms");
    }

    private static List<String> rows(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sender || ':' || body FROM booked ORDER BY rowid")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PlainApplication {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Orders.class)
    static class ListenerApplication {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Inbox.class)
    static class PolicyApplication {
        @Bean
        DeliveryAccessPolicy onlyAlice() {
            return DeliveryAccessPolicy.onlyFrom(Set.of("alice"));
        }
    }

    /** Records what its listener method and its event listener see. */
    static class Inbox {
        final List<String> handled = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        @SnakeListener
        void on(String text, Delivery delivery) {
            handled.add(delivery.sender() + ":" + text);
        }

        @EventListener
        void onEvent(SnakeMessageReceivedEvent event) {
            events.add(event.identity() + ":" + event.message().text());
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TransactionalApplication {
        @Bean
        Booking booking() {
            return new Booking();
        }
    }

    /** Listens through an annotated method and an event listener. */
    static class Orders {
        final List<String> handled = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

        @SnakeListener(senders = "alice")
        void onOrder(String text, Delivery delivery) {
            if (text.equals("poison")) {
                throw new IllegalArgumentException("cannot parse poison");
            }
            if (text.equals("flaky-order") && failedOnce.add(text)) {
                throw new IllegalStateException("database busy");
            }
            handled.add(delivery.attempt() > 1 ? text + "#" + delivery.attempt() : text);
            threads.add(Thread.currentThread().getName());
        }

        private int eventCalls;

        @EventListener
        void onEvent(SnakeMessageReceivedEvent event) {
            String text = event.message().text();
            synchronized (this) {
                eventCalls++;
                events.add(text + "#" + (text.equals("order-1") ? eventCalls : attemptOf(text)));
            }
            if (text.equals("order-1") && eventCalls == 1) {
                throw new IllegalStateException("event listener fails once");
            }
        }

        private int attemptOf(String text) {
            return text.equals("flaky-order") ? 2 : 1;
        }
    }

    /** Books a seat in the same transaction that records the message as done; the first try fails. */
    static class Booking {
        private final Set<String> tried = ConcurrentHashMap.newKeySet();

        @SnakeListener(transactional = true)
        void book(Delivery delivery, Connection transaction) throws Exception {
            try (PreparedStatement insert = transaction.prepareStatement("INSERT INTO booked VALUES (?, ?)")) {
                insert.setString(1, delivery.sender());
                insert.setString(2, delivery.message().text());
                insert.executeUpdate();
            }
            if (tried.add(delivery.message().text())) {
                throw new IllegalStateException("first try fails after the insert");
            }
        }
    }
}
