package org.snakemq.autoconfigure.endpoint;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import org.snakemq.autoconfigure.SnakeMqAutoConfiguration;
import org.snakemq.autoconfigure.delivery.SnakeListenerContainer;
import org.snakemq.autoconfigure.delivery.SnakeMqDeliveryAutoConfiguration;
import org.snakemq.link.Link;
import org.snakemq.messaging.Messaging;
import org.snakemq.spring.endpoint.SnakeMqEndpoint;

/**
 * The {@code snakemq} actuator endpoint, when the actuator is on the class path and the endpoint is
 * available (its access not {@code none}, and exposed over the web or JMX).
 */
@AutoConfiguration(after = {SnakeMqAutoConfiguration.class, SnakeMqDeliveryAutoConfiguration.class})
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean({Link.class, Messaging.class})
@ConditionalOnAvailableEndpoint(SnakeMqEndpoint.class)
public final class SnakeMqEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SnakeMqEndpoint snakeMqEndpoint(Link link, Messaging messaging, ObjectProvider<SnakeListenerContainer> container) {
        return new SnakeMqEndpoint(link, messaging, () -> {
            SnakeListenerContainer c = container.getIfAvailable();
            return c == null ? null : c.deliveries();
        });
    }
}
