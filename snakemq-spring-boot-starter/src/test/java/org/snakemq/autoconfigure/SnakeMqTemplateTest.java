package org.snakemq.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.support.MessageBuilder;

import org.snakemq.autoconfigure.messaging.SnakeMqMessagingAutoConfiguration;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.spring.SendOptions;
import org.snakemq.spring.SendResult;
import org.snakemq.spring.SnakeMqHeaders;
import org.snakemq.spring.SnakeMqSendException;
import org.snakemq.spring.SnakeMqTemplate;

/** {@link SnakeMqTemplate} against plain-Java peers: conversion, outcomes, the bound on waiting sends. */
class SnakeMqTemplateTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    record Invoice(String number, int cents) {
    }

    private final ApplicationContextRunner runner = SnakeMqContexts.snakeMq(JacksonAutoConfiguration.class,
            SnakeMqMessagingAutoConfiguration.class)
            .withPropertyValues("snakemq.identity=alice");

    /** A context whose peer connects to {@code peer}, which starts listening on a free loopback port. */
    private ApplicationContextRunner connectedTo(CorePeer peer) {
        return runner.withPropertyValues("snakemq.connectors[0].host=127.0.0.1",
                "snakemq.connectors[0].port=" + peer.listen(), "snakemq.connectors[0].reconnect-interval=100ms");
    }

    @Test
    void convertAndSendWritesJsonAndCompletesOnceTheReceiverAcknowledged() {
        try (CorePeer bob = new CorePeer("bob")) {
            connectedTo(bob).run(context -> {
                SnakeMqTemplate template = context.getBean(SnakeMqTemplate.class);
                await().atMost(WAIT).until(() -> context.getBean(Messaging.class).isConnected("bob"));
                SendResult result = template.convertAndSend("bob", new Invoice("A-17", 4200))
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(result.peer()).isEqualTo("bob");
                assertThat(result.acknowledged()).isTrue();
                assertThat(bob.received).singleElement().satisfies(message -> {
                    assertThat(message.uuid()).isEqualTo(result.messageId());
                    assertThat(message.text()).isEqualTo("{\"number\":\"A-17\",\"cents\":4200}");
                    assertThat(message.headers().asMap()).containsExactly(
                            Map.entry(SnakeMqHeaders.CONTENT_TYPE, "application/json"));
                });
                assertThat(template.pendingCount()).isZero();
            });
        }
    }

    @Test
    void stringsAreTextBytesStayAsTheyAreAndSpringMessagesKeepTheirPayload() {
        try (CorePeer bob = new CorePeer("bob")) {
            connectedTo(bob).run(context -> {
                SnakeMqTemplate template = context.getBean(SnakeMqTemplate.class);
                template.convertAndSend("bob", "grüße").get(WAIT.toSeconds(), TimeUnit.SECONDS);
                template.convertAndSend("bob", new byte[] {1, 2, 3}).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                template.convertAndSend("bob", "{\"already\":\"json\"}", SendOptions.defaults()
                        .withContentType("application/json")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                template.send("bob", MessageBuilder.withPayload(new Invoice("B-2", 1)).setHeader("tenant", "acme").build(),
                        SendOptions.defaults().withTtl(Duration.ofMinutes(1)).withPersistent(true))
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(bob.received).hasSize(4);
                assertThat(new String(bob.received.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("grüße");
                assertThat(bob.received.get(1).data()).containsExactly(1, 2, 3);
                assertThat(bob.received.get(2).text()).as("a JSON string is not encoded again")
                        .isEqualTo("{\"already\":\"json\"}");
                assertThat(bob.received.get(3).text()).isEqualTo("{\"number\":\"B-2\",\"cents\":1}");
                assertThat(bob.received).extracting(m -> m.headers().get(SnakeMqHeaders.CONTENT_TYPE)).containsExactly(
                        "text/plain;charset=UTF-8", null, "application/json", "application/json");
                assertThat(bob.received.get(3).headers().get("tenant")).isEqualTo("acme");
                assertThat(bob.received.get(3).ttl()).isEqualTo(Duration.ofMinutes(1));
                assertThat(bob.received.get(3).isPersistent()).isTrue();
            });
        }
    }

    @Test
    void aPeerThatDoesNotAcknowledgeCompletesTheFutureOnceWrittenAndSaysSo() {
        try (CorePeer olga = new CorePeer("olga", MessagingOptions.defaults().withAcknowledgements(false))) {
            connectedTo(olga).run(context -> {
                SendResult result = context.getBean(SnakeMqTemplate.class).convertAndSend("olga", "hello")
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(result.acknowledged()).isFalse();
                await().atMost(WAIT).untilAsserted(() ->
                        assertThat(olga.received).extracting(Message::text).containsExactly("hello"));
            });
        }
    }

    @Test
    void aMessageWhoseTtlRunsOutFailsItsFutureAsDropped() {
        runner.run(context -> {
            CompletableFuture<SendResult> future = context.getBean(SnakeMqTemplate.class)
                    .convertAndSend("nobody", "late", SendOptions.defaults().withTtl(Duration.ZERO));
            assertThatThrownBy(() -> future.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOfSatisfying(SnakeMqSendException.class, e -> {
                        assertThat(e.reason()).isEqualTo(SnakeMqSendException.Reason.DROPPED);
                        assertThat(e.peer()).isEqualTo("nobody");
                        assertThat(e.getMessage()).contains("dropped", "nobody");
                    });
            assertThat(context.getBean(SnakeMqTemplate.class).pendingCount()).isZero();
        });
    }

    @Test
    void waitingSendsAreBoundedCancelledOnesAreForgottenAndCloseFailsTheRest() {
        runner.withPropertyValues("snakemq.template.max-pending=2").run(context -> {
            SnakeMqTemplate template = context.getBean(SnakeMqTemplate.class);
            CompletableFuture<SendResult> first = template.convertAndSend("away", "1");
            CompletableFuture<SendResult> second = template.convertAndSend("away", "2");
            CompletableFuture<SendResult> third = template.convertAndSend("away", "3");
            assertThat(third).isCompletedExceptionally();
            assertThatThrownBy(third::join).cause().isInstanceOfSatisfying(SnakeMqSendException.class,
                    e -> assertThat(e.reason()).isEqualTo(SnakeMqSendException.Reason.TOO_MANY_PENDING));
            assertThat(context.getBean(Messaging.class).queueSize("away")).as("the refused one is not queued")
                    .isLessThanOrEqualTo(2);
            first.cancel(false);
            assertThat(template.pendingCount()).isEqualTo(1);
            assertThat(template.convertAndSend("away", "4")).isNotCompletedExceptionally();
            template.close();
            assertThatThrownBy(second::join).cause().isInstanceOfSatisfying(SnakeMqSendException.class,
                    e -> {
                        assertThat(e.reason()).isEqualTo(SnakeMqSendException.Reason.CLOSED);
                        assertThat(e.peer()).isEqualTo("away");
                    });
            assertThat(template.pendingCount()).isZero();
            assertThat(template.convertAndSend("away", "5")).isCompletedExceptionally();
        });
    }

    @Test
    void headersSnakeMqCannotCarryAreRefusedOnTheCallingThread() {
        runner.run(context -> {
            SnakeMqTemplate template = context.getBean(SnakeMqTemplate.class);
            assertThatThrownBy(() -> template.convertAndSend("bob", "x", SendOptions.defaults()
                    .withHeader("snakemq-trace", "1"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("snakemq-trace").hasMessageContaining("reserved");
            assertThatThrownBy(() -> template.send("bob", MessageBuilder.withPayload("x")
                    .setHeader("when", List.of(1)).build())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("when").hasMessageContaining("java.util");
            assertThat(template.pendingCount()).isZero();
        });
    }

    @Test
    void aContentTypeNoConverterWritesFailsOnTheCallingThreadNamingItAndThePayloadType() {
        runner.run(context -> {
            SnakeMqTemplate template = context.getBean(SnakeMqTemplate.class);
            assertThatThrownBy(() -> template.convertAndSend("bob", new Invoice("D-4", 4),
                    SendOptions.defaults().withContentType("application/xml")))
                    .isInstanceOf(MessageConversionException.class)
                    .hasMessageContaining(Invoice.class.getName()).hasMessageContaining("application/xml");
            assertThat(template.pendingCount()).isZero();
            assertThat(context.getBean(Messaging.class).queueSize("bob")).isZero();
        });
    }

    @Test
    void defaultOptionsComeFromProperties() {
        runner.withPropertyValues("snakemq.template.ttl=30s", "snakemq.template.persistent=true").run(context -> {
            SendOptions defaults = context.getBean(SnakeMqTemplate.class).defaults();
            assertThat(defaults.ttl()).isEqualTo(Duration.ofSeconds(30));
            assertThat(defaults.persistent()).isTrue();
        });
        runner.withPropertyValues("snakemq.template.max-pending=0").run(context -> assertThat(context)
                .getFailure().hasStackTraceContaining("snakemq.template.max-pending"));
    }

    @Test
    void withoutJacksonStringsAndBytesStillConvertAndAnObjectFailsNamingItsType() {
        runner.withClassLoader(new FilteredClassLoader("tools.jackson")).run(context -> {
            assertThat(context).hasNotFailed();
            SnakeMqTemplate template = context.getBean(SnakeMqTemplate.class);
            assertThat(template.convertAndSend("away", "text")).isNotNull();
            assertThatThrownBy(() -> template.convertAndSend("away", new Invoice("C-3", 3)))
                    .isInstanceOf(MessageConversionException.class).hasMessageContaining(Invoice.class.getName());
        });
    }

    @Test
    void anApplicationTemplateBeanReplacesTheAutoConfiguredOne() {
        runner.withUserConfiguration(OwnTemplate.class).run(context -> {
            assertThat(context).hasSingleBean(SnakeMqTemplate.class).hasBean("myTemplate");
            assertThat(context.getBean(SnakeMqTemplate.class).defaults().ttl()).isEqualTo(Duration.ofSeconds(5));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnTemplate {
        @Bean
        SnakeMqTemplate myTemplate(Messaging messaging,
                                   @Qualifier(SnakeMqMessagingAutoConfiguration.CONVERTER_BEAN) MessageConverter converter) {
            return new SnakeMqTemplate(messaging, converter, SendOptions.defaults().withTtl(Duration.ofSeconds(5)), 10);
        }
    }
}
