package org.snakemq.autoconfigure.messaging;

import java.util.List;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConverter;

import org.snakemq.autoconfigure.SnakeMqAutoConfiguration;
import org.snakemq.messaging.Messaging;
import org.snakemq.spring.SendOptions;
import org.snakemq.spring.SnakeMqSendInterceptor;
import org.snakemq.spring.SnakeMqTemplate;

/**
 * Message conversion and {@link SnakeMqTemplate}: the converter chain named
 * {@value #CONVERTER_BEAN} ({@link SnakeMqMessageConverters}: the application's {@code MessageConverter}
 * beans, then {@code byte[]}, text and JSON through Spring Boot's {@code JsonMapper}); a bean of that
 * name replaces the whole chain. The same chain converts the payloads of {@code @SnakeListener} methods.
 */
@AutoConfiguration(after = SnakeMqAutoConfiguration.class,
        afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnBean(Messaging.class)
@EnableConfigurationProperties(SnakeMqTemplateProperties.class)
public final class SnakeMqMessagingAutoConfiguration {

    /** The name of the converter chain of the template and the listeners. */
    public static final String CONVERTER_BEAN = "snakeMqMessageConverter";

    @Bean(CONVERTER_BEAN)
    @ConditionalOnMissingBean(name = CONVERTER_BEAN)
    CompositeMessageConverter snakeMqMessageConverter(ObjectProvider<MessageConverter> converters,
                                                      ListableBeanFactory beanFactory) {
        // composites are chains (this one, a STOMP broker's, Spring Integration's), not converters to add
        return SnakeMqMessageConverters.create(converters.orderedStream(
                type -> !CompositeMessageConverter.class.isAssignableFrom(type)).toList(), beanFactory);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SnakeMqTemplate snakeMqTemplate(Messaging messaging, @Qualifier(CONVERTER_BEAN) MessageConverter converter,
                                    SnakeMqTemplateProperties properties,
                                    ObjectProvider<SnakeMqSendInterceptor> interceptors) {
        if (properties.getTtl() != null && properties.getTtl().isNegative()) {
            throw new InvalidConfigurationPropertyValueException("snakemq.template.ttl", properties.getTtl(),
                    "Must not be negative.");
        }
        if (properties.getMaxPending() <= 0) {
            throw new InvalidConfigurationPropertyValueException("snakemq.template.max-pending",
                    properties.getMaxPending(), "Must be positive.");
        }
        SendOptions defaults = SendOptions.defaults().withTtl(properties.getTtl())
                .withPersistent(properties.isPersistent());
        SnakeMqTemplate template = new SnakeMqTemplate(messaging, converter, defaults, properties.getMaxPending());
        List<SnakeMqSendInterceptor> chain = interceptors.orderedStream().toList();
        if (!chain.isEmpty()) {
            template.setInterceptor(chain(chain));
        }
        return template;
    }

    /** The interceptors applied in order, the first outermost. */
    private static SnakeMqSendInterceptor chain(List<SnakeMqSendInterceptor> interceptors) {
        SnakeMqSendInterceptor chain = (peer, message, next) -> next.send(message);
        for (int i = interceptors.size() - 1; i >= 0; i--) {
            SnakeMqSendInterceptor outer = interceptors.get(i);
            SnakeMqSendInterceptor inner = chain;
            chain = (peer, message, next) -> outer.intercept(peer, message, m -> inner.intercept(peer, m, next));
        }
        return chain;
    }
}
