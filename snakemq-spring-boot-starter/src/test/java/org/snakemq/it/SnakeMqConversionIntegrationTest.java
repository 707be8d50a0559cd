package org.snakemq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.snakemq.it.LoopbackApplications.start;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.annotation.Header;

import org.snakemq.autoconfigure.delivery.SnakeListenerContainer;
import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.spring.SendOptions;
import org.snakemq.spring.SendResult;
import org.snakemq.spring.SnakeListener;
import org.snakemq.spring.SnakeMqHeaders;
import org.snakemq.spring.SnakeMqTemplate;
import org.snakemq.storage.DeadLetter;

/**
 * Two Boot applications: one sends objects with {@link SnakeMqTemplate}, the other receives them in a
 * typed, validated {@code @SnakeListener}; a payload that does not convert or validate is retried and
 * then kept as a dead letter whose error names the target type.
 */
class SnakeMqConversionIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    public record Order(String id, @Min(1) int quantity) {
    }

    @Test
    void objectsSentWithTheTemplateReachATypedListenerAndBadPayloadsBecomeDeadLettersNamingTheType() throws Exception {
        try (ConfigurableApplicationContext bob = start(DeskApplication.class, "bob",
                "snakemq.delivery.retry.max-attempts=2", "snakemq.delivery.retry.initial-delay=10ms",
                "snakemq.delivery.retry.max-delay=20ms");
             ConfigurableApplicationContext alice = start(PlainApplication.class, "alice",
                     "snakemq.connectors[0].host=127.0.0.1",
                     "snakemq.connectors[0].port=" + bob.getBean(Link.class).listenerAddresses().get(0).getPort(),
                     "snakemq.connectors[0].reconnect-interval=100ms")) {
            Messaging aliceMessaging = alice.getBean(Messaging.class);
            await().atMost(WAIT).until(() -> aliceMessaging.isConnected("bob"));
            SnakeMqTemplate template = alice.getBean(SnakeMqTemplate.class);
            OrderDesk desk = bob.getBean(OrderDesk.class);

            SendResult result = template.convertAndSend("bob", new Order("o-1", 2),
                    SendOptions.defaults().withHeader("tenant", "acme")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(result.acknowledged()).isTrue();
            assertThat(desk.orders).containsExactly(new Order("o-1", 2));
            assertThat(desk.headers).as("content type and headers travel").containsExactly("alice application/json acme");

            // a content type no converter reads: retried, then a dead letter naming it and the type
            SendResult xml = template.convertAndSend("bob", "<order id='o-9'/>", SendOptions.defaults()
                    .withContentType("application/xml")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            Message wrongShape = Message.of("{\"id\":[1,2],\"quantity\":\"many\"}");
            Message invalid = Message.of("{\"id\":\"o-2\",\"quantity\":0}");
            Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
            aliceMessaging.onMessageSent().add((c, ident, uuid) -> acknowledged.add(uuid));
            aliceMessaging.send("bob", wrongShape);
            aliceMessaging.send("bob", invalid);
            // dead-lettered messages are acknowledged: the sender is told once the receiver gave up
            await().atMost(WAIT).until(() -> acknowledged.containsAll(List.of(wrongShape.uuid(), invalid.uuid())));

            List<DeadLetter> letters = bob.getBean(SnakeListenerContainer.class).deliveries().listDeadLetters(10);
            assertThat(letters).hasSize(3);
            assertThat(letters).filteredOn(l -> l.uuid().equals(xml.messageId())).singleElement().satisfies(l -> {
                assertThat(l.errorClass()).isEqualTo(MessageConversionException.class.getName());
                assertThat(l.errorMessage()).contains("content type application/xml", Order.class.getName());
                assertThat(l.headers().get(SnakeMqHeaders.CONTENT_TYPE)).as("kept with the letter")
                        .isEqualTo("application/xml");
            });
            assertThat(letters).filteredOn(l -> l.uuid().equals(wrongShape.uuid())).singleElement().satisfies(l -> {
                assertThat(l.attempts()).isEqualTo(2);
                assertThat(l.errorClass()).isEqualTo(MessageConversionException.class.getName());
                assertThat(l.errorMessage()).contains("cannot convert the payload", Order.class.getName());
            });
            assertThat(letters).filteredOn(l -> l.uuid().equals(invalid.uuid())).singleElement().satisfies(l -> {
                assertThat(l.errorClass()).isEqualTo(MessageHandlingException.class.getName());
                assertThat(l.errorMessage()).contains(Order.class.getName(), "quantity");
            });
            assertThat(desk.orders).as("the listener never saw the bad payloads").containsExactly(new Order("o-1", 2));
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PlainApplication {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(OrderDesk.class)
    static class DeskApplication {
    }

    /** Takes orders as typed, validated payloads. */
    static class OrderDesk {
        final List<Order> orders = new CopyOnWriteArrayList<>();
        final List<String> headers = new CopyOnWriteArrayList<>();

        @SnakeListener
        void take(@Valid Order order, @Header(SnakeMqHeaders.PEER) String peer,
                  @Header(name = MessageHeaders.CONTENT_TYPE, required = false) String contentType,
                  @Header(name = "tenant", required = false) String tenant) {
            orders.add(order);
            headers.add(peer + " " + contentType + " " + tenant);
        }
    }
}
