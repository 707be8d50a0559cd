package org.snakemq.autoconfigure.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

import org.snakemq.autoconfigure.messaging.SnakeMqMessageConverters;
import org.snakemq.delivery.Delivery;
import org.snakemq.message.Message;
import org.snakemq.spring.SnakeMqHeaders;

/** Argument resolution of {@code @SnakeListener} methods: conversion, headers, validation, failures that name the type. */
class SnakeListenerMethodTest {

    record Order(String id, @Min(1) int quantity) {
    }

    private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
    private final LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
    private final SnakeListenerMethod.Arguments arguments;

    SnakeListenerMethodTest() {
        validator.afterPropertiesSet();
        arguments = new SnakeListenerMethod.Arguments(SnakeMqMessageConverters.create(List.of(), beanFactory), validator,
                ApplicationConversionService.getSharedInstance(), beanFactory);
    }

    @AfterEach
    void closeValidator() {
        validator.close();
    }

    /** Records the arguments of its last call. */
    static class Listeners {
        Object[] last;

        void typed(@Valid Order order, @Header(SnakeMqHeaders.PEER) String peer, @Header(SnakeMqHeaders.ATTEMPT) int attempt,
                   @Header(name = "tenant", required = false) String tenant) {
            last = new Object[] {order, peer, attempt, tenant};
        }

        void message(org.springframework.messaging.Message<Order> message, @Headers Map<String, Object> headers) {
            last = new Object[] {message, headers};
        }

        void raw(byte[] data, String text, Delivery delivery, Message message) {
            last = new Object[] {data, text, delivery, message};
        }

        void annotatedText(@Payload String text) {
            last = new Object[] {text};
        }

        void number(@Header("count") int count) {
            last = new Object[] {count};
        }

        void twoPayloads(Order one, Order two) {
        }

        void connection(java.sql.Connection connection) {
        }
    }

    private final Listeners bean = new Listeners();

    private SnakeListenerMethod method(String name) {
        Method method = java.util.Arrays.stream(Listeners.class.getDeclaredMethods())
                .filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
        return new SnakeListenerMethod("listeners", bean, method, Set.of(), false, arguments);
    }

    private static Delivery delivery(String data, Map<String, String> headers) {
        Message message = Message.of(data).withHeaders(org.snakemq.message.Headers.of(headers));
        return new Delivery("alice", message, 2, Instant.ofEpochMilli(1_000));
    }

    @Test
    void aJsonPayloadBecomesTheParametersTypeBesideHeadersAndThePeer() throws Exception {
        method("typed").invoke(delivery("{\"id\":\"o-1\",\"quantity\":3}",
                Map.of(SnakeMqHeaders.CONTENT_TYPE, "application/json", "tenant", "acme")), null);
        assertThat(bean.last).containsExactly(new Order("o-1", 3), "alice", 2, "acme");
    }

    @Test
    void withoutAContentTypeJsonIsStillTried() throws Exception {
        // a peer of the original protocol sends no headers
        method("typed").invoke(delivery("{\"id\":\"o-2\",\"quantity\":1}", Map.of()), null);
        assertThat(bean.last).containsExactly(new Order("o-2", 1), "alice", 2, null);
    }

    @Test
    void aSpringMessageCarriesTheConvertedPayloadTheSnakeMqIdAndTheWireHeaders() throws Exception {
        Delivery delivery = delivery("{\"id\":\"o-3\",\"quantity\":2}",
                Map.of(SnakeMqHeaders.CONTENT_TYPE, "application/json", "tenant", "acme"));
        method("message").invoke(delivery, null);
        org.springframework.messaging.Message<?> message = (org.springframework.messaging.Message<?>) bean.last[0];
        assertThat(message.getPayload()).isEqualTo(new Order("o-3", 2));
        assertThat(message.getHeaders().getId()).isEqualTo(delivery.message().uuid());
        assertThat(message.getHeaders().getTimestamp()).isEqualTo(1_000L);
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) bean.last[1];
        assertThat(headers).containsEntry(MessageHeaders.CONTENT_TYPE, "application/json")
                .containsEntry("tenant", "acme").containsEntry(SnakeMqHeaders.PEER, "alice")
                .containsEntry(SnakeMqHeaders.ATTEMPT, 2).doesNotContainKey(SnakeMqHeaders.CONTENT_TYPE);
    }

    @Test
    void byteArrayStringDeliveryAndMessageParametersKeepTheirMeaningWhateverTheContentType() throws Exception {
        Delivery delivery = delivery("{\"not\":\"text\"}", Map.of(SnakeMqHeaders.CONTENT_TYPE, "application/json"));
        method("raw").invoke(delivery, null);
        assertThat((byte[]) bean.last[0]).isEqualTo("{\"not\":\"text\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(bean.last[1]).isEqualTo("{\"not\":\"text\"}");
        assertThat(bean.last[2]).isSameAs(delivery);
        assertThat(bean.last[3]).isSameAs(delivery.message());
    }

    @Test
    void anAnnotatedStringPayloadIsTheTextInTheContentTypesCharset() throws Exception {
        Message message = new Message(UUID.randomUUID(), "grüße".getBytes(StandardCharsets.ISO_8859_1), null, 0,
                org.snakemq.message.Headers.of(SnakeMqHeaders.CONTENT_TYPE, "text/plain;charset=ISO-8859-1"));
        method("annotatedText").invoke(new Delivery("alice", message, 1, Instant.now()), null);
        assertThat(bean.last).containsExactly("grüße");
    }

    @Test
    void jsonOfTheWrongShapeFailsNamingTheTargetType() {
        Delivery delivery = delivery("{\"id\":[1,2],\"quantity\":\"many\"}",
                Map.of(SnakeMqHeaders.CONTENT_TYPE, "application/json"));
        assertThatThrownBy(() -> method("typed").invoke(delivery, null))
                .isInstanceOf(MessageConversionException.class)
                .hasMessageContaining("@SnakeListener Listeners.typed")
                .hasMessageContaining("cannot convert the payload")
                .hasMessageContaining(delivery.message().uuid().toString())
                .hasMessageContaining("content type application/json")
                .hasMessageContaining(Order.class.getName());
        assertThat(bean.last).isNull();
    }

    @Test
    void aContentTypeNoConverterReadsFailsNamingItAndTheTargetType() {
        Delivery delivery = delivery("<order id='o-4'/>", Map.of(SnakeMqHeaders.CONTENT_TYPE, "application/xml"));
        assertThatThrownBy(() -> method("typed").invoke(delivery, null))
                .isInstanceOf(MessageConversionException.class)
                .hasMessageContaining("content type application/xml")
                .hasMessageContaining(Order.class.getName());
        assertThat(bean.last).isNull();
    }

    @Test
    void anInvalidPayloadFailsThroughTheValidator() {
        Delivery delivery = delivery("{\"id\":\"o-5\",\"quantity\":0}", Map.of());
        assertThatThrownBy(() -> method("typed").invoke(delivery, null))
                .isInstanceOf(MessageHandlingException.class)
                .hasMessageContaining(Order.class.getName())
                .hasMessageContaining("quantity");
        assertThat(bean.last).isNull();
    }

    @Test
    void headerValuesAreConvertedAndAMissingRequiredHeaderFailsNamingIt() throws Exception {
        method("number").invoke(delivery("x", Map.of("count", "42")), null);
        assertThat(bean.last).containsExactly(42);
        assertThatThrownBy(() -> method("number").invoke(delivery("x", Map.of()), null))
                .isInstanceOf(MessageHandlingException.class)
                .hasMessageContaining("count");
    }

    @Test
    void twoPayloadParametersOrAConnectionWithoutATransactionFailAtStart() {
        assertThatThrownBy(() -> method("twoPayloads")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("twoPayloads").hasMessageContaining("more than one parameter");
        assertThatThrownBy(() -> method("connection")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transactional = true");
    }
}
