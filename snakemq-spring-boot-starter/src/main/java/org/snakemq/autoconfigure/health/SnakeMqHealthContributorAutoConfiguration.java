package org.snakemq.autoconfigure.health;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import org.snakemq.autoconfigure.SnakeMqAutoConfiguration;
import org.snakemq.link.Link;
import org.snakemq.messaging.Messaging;
import org.snakemq.spring.health.SnakeMqHealthIndicator;

/**
 * The {@code snakeMq} health indicator, when Spring Boot's health module is on the class path and
 * {@code management.health.snakemq.enabled} is not false.
 */
@AutoConfiguration(after = SnakeMqAutoConfiguration.class,
        afterName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean({Link.class, Messaging.class})
public final class SnakeMqHealthContributorAutoConfiguration {

    // nested, so that the health module's condition class is only loaded once the module is known to be there
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("snakemq")
    static class SnakeMqHealthIndicatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "snakeMqHealthIndicator")
        SnakeMqHealthIndicator snakeMqHealthIndicator(Link link, Messaging messaging) {
            return new SnakeMqHealthIndicator(link, messaging);
        }
    }
}
