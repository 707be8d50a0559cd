package org.snakemq.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.AbstractMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeType;

import org.snakemq.autoconfigure.messaging.SnakeMqMessagingAutoConfiguration;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The converter chain: defaults, application converters ahead of them, a JSON converter or a whole chain replaced. */
class SnakeMqMessageConvertersTest {

    record Point(int x, int y) {
    }

    private final ApplicationContextRunner runner = SnakeMqContexts.snakeMq(JacksonAutoConfiguration.class,
            SnakeMqMessagingAutoConfiguration.class)
            .withPropertyValues("snakemq.identity=alice");

    private static CompositeMessageConverter chain(org.springframework.context.ApplicationContext context) {
        return context.getBean(SnakeMqMessagingAutoConfiguration.CONVERTER_BEAN, CompositeMessageConverter.class);
    }

    private static String text(org.springframework.messaging.Message<?> message) {
        return new String((byte[]) message.getPayload(), StandardCharsets.UTF_8);
    }

    @Test
    void byDefaultBytesTextAndJsonThroughBootsJsonMapper() {
        runner.withPropertyValues("spring.jackson.serialization.indent-output=true").run(context -> {
            List<MessageConverter> converters = chain(context).getConverters();
            assertThat(converters).hasSize(3);
            assertThat(converters.get(2)).isInstanceOf(JacksonJsonMessageConverter.class);
            org.springframework.messaging.Message<?> json = chain(context).toMessage(new Point(1, 2), null);
            assertThat(text(json)).as("Boot's JsonMapper with its properties").contains("\n").contains("\"x\" : 1");
            assertThat(json.getHeaders().get(MessageHeaders.CONTENT_TYPE)).hasToString("application/json");
            Object back = chain(context).fromMessage(MessageBuilder.withPayload("{\"x\":3,\"y\":4}".getBytes())
                    .setHeader(MessageHeaders.CONTENT_TYPE, "application/json").build(), Point.class);
            assertThat(back).isEqualTo(new Point(3, 4));
        });
    }

    @Test
    void applicationConvertersComeFirstInTheirOrderAndCompositesAreNotAdded() {
        runner.withUserConfiguration(CsvConverters.class).run(context -> {
            List<MessageConverter> converters = chain(context).getConverters();
            assertThat(converters).hasSize(5);
            assertThat(converters.get(0)).isSameAs(context.getBean("first"));
            assertThat(converters.get(1)).isSameAs(context.getBean("csv"));
            org.springframework.messaging.Message<?> csv = chain(context).toMessage(new Point(5, 6),
                    new MessageHeaders(Map.of(MessageHeaders.CONTENT_TYPE, CsvConverter.CSV)));
            assertThat(text(csv)).isEqualTo("5,6");
            assertThat(text(chain(context).toMessage(new Point(5, 6), null))).as("JSON by default")
                    .isEqualTo("{\"x\":5,\"y\":6}");
        });
    }

    @Test
    void anApplicationJsonConverterTakesThePlaceOfTheDefaultOne() {
        runner.withUserConfiguration(OwnJson.class).run(context -> {
            List<MessageConverter> converters = chain(context).getConverters();
            assertThat(converters).hasSize(3);
            assertThat(converters.get(2)).isSameAs(context.getBean("ownJson"));
        });
    }

    @Test
    void aBeanNamedSnakeMqMessageConverterReplacesTheChain() {
        runner.withUserConfiguration(OwnChain.class).run(context -> {
            assertThat(chain(context).getConverters()).singleElement().isInstanceOf(StringMessageConverter.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class CsvConverters {
        @Bean
        @Order(2)
        CsvConverter csv() {
            return new CsvConverter();
        }

        @Bean
        @Order(1)
        StringMessageConverter first() {
            StringMessageConverter converter = new StringMessageConverter();
            converter.setStrictContentTypeMatch(true);
            return converter;
        }

        @Bean
        CompositeMessageConverter someoneElsesChain() {
            return new CompositeMessageConverter(List.of(new StringMessageConverter()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnJson {
        @Bean
        JacksonJsonMessageConverter ownJson() {
            return new JacksonJsonMessageConverter(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnChain {
        @Bean(SnakeMqMessagingAutoConfiguration.CONVERTER_BEAN)
        CompositeMessageConverter snakeMqMessageConverter() {
            return new CompositeMessageConverter(List.of(new StringMessageConverter()));
        }
    }

    /** Points as "x,y" in text/csv, and only when that content type is asked for. */
    static class CsvConverter extends AbstractMessageConverter {
        static final MimeType CSV = MimeType.valueOf("text/csv");

        CsvConverter() {
            super(CSV);
            setStrictContentTypeMatch(true);
        }

        @Override
        protected boolean supports(Class<?> type) {
            return type == Point.class;
        }

        @Override
        protected Object convertToInternal(Object payload, MessageHeaders headers, Object hint) {
            Point p = (Point) payload;
            return (p.x() + "," + p.y()).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        protected Object convertFromInternal(org.springframework.messaging.Message<?> message, Class<?> type, Object hint) {
            String[] parts = new String((byte[]) message.getPayload(), StandardCharsets.UTF_8).split(",");
            return new Point(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
    }
}
