package org.snakemq.autoconfigure.delivery;

import java.nio.file.Path;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.validation.Validator;

import org.snakemq.autoconfigure.SnakeMqAutoConfiguration;
import org.snakemq.autoconfigure.SnakeMqProperties;
import org.snakemq.autoconfigure.SnakeMqTaskExecutors;
import org.snakemq.autoconfigure.messaging.SnakeMqMessageConverters;
import org.snakemq.autoconfigure.messaging.SnakeMqMessagingAutoConfiguration;
import org.snakemq.delivery.DeliveryAccessPolicy;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.ReceiveHook;
import org.snakemq.spring.SnakeMqOutbox;
import org.snakemq.storage.DeadLetterStore;
import org.snakemq.storage.MemoryDeliveryStore;
import org.snakemq.storage.SqlDeliveryStore;
import org.snakemq.storage.StorageException;

/**
 * Delivery into the application: {@code @SnakeListener} methods and {@code SnakeMessageReceivedEvent}
 * listeners complete a message before it is acknowledged; failures are retried and then kept as dead
 * letters, in the storage's database (sqlite, jdbc) or in memory. {@link DeliveryAccessPolicy} beans
 * decide which senders' messages reach them.
 */
@AutoConfiguration(after = SnakeMqAutoConfiguration.class, afterName = {
        "org.snakemq.autoconfigure.messaging.SnakeMqMessagingAutoConfiguration",
        "org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration"})
@ConditionalOnBean(Messaging.class)
@ConditionalOnBooleanProperty(name = "snakemq.delivery.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SnakeMqDeliveryProperties.class)
public final class SnakeMqDeliveryAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DeadLetterStore snakeMqDeliveryStore(SnakeMqProperties properties, SnakeMqDeliveryProperties delivery,
                                         ObjectProvider<DataSource> dataSource) {
        String type = properties.getStorage().getType() == null ? "none"
                : properties.getStorage().getType().toString().toLowerCase(java.util.Locale.ROOT);
        SnakeMqDeliveryProperties.Inbox inbox = delivery.getInbox();
        try {
            if (type.equals("sqlite")) {
                Path path = properties.getStorage().getPath();
                return SqlDeliveryStore.sqlite(path, inbox.getPerSender(), inbox.getMaxAge());
            }
            if (type.equals("jdbc")) {
                return SqlDeliveryStore.jdbc(dataSource.getObject(), inbox.getPerSender(), inbox.getMaxAge());
            }
        } catch (StorageException | IllegalArgumentException e) {
            throw new IllegalStateException("snakemq.delivery: the dead-letter and inbox store cannot be opened: "
                    + e.getMessage(), e);
        }
        return new MemoryDeliveryStore(inbox.getPerSender());
    }

    /** Transactional sends in the application's Spring transactions, with the JDBC storage. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.jdbc.datasource.DataSourceUtils")
    @ConditionalOnProperty(name = "snakemq.storage.type", havingValue = "jdbc")
    static class OutboxConfiguration {

        @Bean
        @ConditionalOnMissingBean
        SnakeMqOutbox snakeMqOutbox(Messaging messaging, DataSource dataSource) {
            return new SnakeMqOutbox(messaging, dataSource);
        }
    }

    @Bean(SnakeMqAutoConfiguration.LISTENER_CONTAINER_BEAN)
    @ConditionalOnMissingBean
    SnakeListenerContainer snakeListenerContainer(ListableBeanFactory beanFactory, ApplicationEventPublisher events,
                                                  SnakeMqProperties properties, Messaging messaging,
                                                  ReceiveHook hook, DeadLetterStore store,
                                                  SnakeMqDeliveryProperties delivery, Environment environment,
                                                  ObjectProvider<DeliveryAccessPolicy> accessPolicies,
                                                  @Qualifier(SnakeMqMessagingAutoConfiguration.CONVERTER_BEAN)
                                                  ObjectProvider<MessageConverter> converter,
                                                  ObjectProvider<Validator> validators) {
        return new SnakeListenerContainer(beanFactory, properties.getEvents().isEnabled() ? events : null, messaging,
                hook, store, delivery, new SnakeMqTaskExecutors(environment, beanFactory), accessPolicies.orderedStream().toList(),
                converter.getIfAvailable(() -> SnakeMqMessageConverters.create(List.of(), beanFactory)),
                validator(beanFactory, validators));
    }

    /** Spring Boot's validator (bean {@code defaultValidator}) when there is one, else the only one, else none. */
    private static Validator validator(ListableBeanFactory beanFactory, ObjectProvider<Validator> validators) {
        if (beanFactory.containsBean("defaultValidator") && beanFactory.isTypeMatch("defaultValidator", Validator.class)) {
            return beanFactory.getBean("defaultValidator", Validator.class);
        }
        return validators.getIfUnique();
    }
}
