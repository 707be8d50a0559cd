package org.snakemq.autoconfigure.endpoint;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import org.snakemq.autoconfigure.delivery.SnakeListenerContainer;
import org.snakemq.autoconfigure.delivery.SnakeMqDeliveryAutoConfiguration;
import org.snakemq.spring.endpoint.SnakeMqDeadLettersEndpoint;

/** The {@code snakemqdeadletters} actuator endpoint, when the actuator is on the class path and the endpoint is exposed. */
@AutoConfiguration(after = SnakeMqDeliveryAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnAvailableEndpoint(SnakeMqDeadLettersEndpoint.class)
public final class SnakeMqDeadLettersEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(SnakeListenerContainer.class)
    SnakeMqDeadLettersEndpoint snakeMqDeadLettersEndpoint(SnakeListenerContainer container) {
        return new SnakeMqDeadLettersEndpoint(container::deliveries);
    }
}
