package org.snakemq.autoconfigure.observation;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

import org.snakemq.autoconfigure.SnakeMqAutoConfiguration;
import org.snakemq.autoconfigure.SnakeMqProperties;
import org.snakemq.autoconfigure.metrics.SnakeMqMetricsAutoConfiguration;
import org.snakemq.messaging.Messaging;
import org.snakemq.spring.observation.ObservationRpcClientInterceptor;
import org.snakemq.spring.observation.ObservationRpcServerInterceptor;
import org.snakemq.spring.observation.ObservationSnakeListenerInterceptor;
import org.snakemq.spring.observation.PeerTagLimit;
import org.snakemq.spring.observation.SnakeMqListenerObservationConvention;
import org.snakemq.spring.observation.SnakeMqRpcClientObservationConvention;
import org.snakemq.spring.observation.SnakeMqRpcServerObservationConvention;
import org.snakemq.spring.observation.SnakeMqSendObservationConvention;
import org.snakemq.spring.observation.SnakeMqSendObserver;

/**
 * Micrometer observations of sends, {@code @SnakeListener} attempts and RPC calls, with
 * {@code snakemq.observation.enabled=true} and an {@link ObservationRegistry} bean (Spring Boot's
 * observation auto-configuration makes one with the actuator). The interceptor beans are picked up by
 * the RPC client, the RPC server and the listener container; an {@code ObservationConvention} bean of
 * one of the snakeMQ convention interfaces replaces that observation's default convention.
 */
@AutoConfiguration(before = SnakeMqMetricsAutoConfiguration.class, after = SnakeMqAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
@ConditionalOnBooleanProperty(name = "snakemq.observation.enabled")
@ConditionalOnBean({ObservationRegistry.class, Messaging.class})
public final class SnakeMqObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PeerTagLimit snakeMqObservationPeerTags(ObjectProvider<SnakeMqProperties> properties) {
        int max = properties.getIfAvailable(SnakeMqProperties::new).getMetrics().getMaxPeerTags();
        if (max < 0) {
            throw new InvalidConfigurationPropertyValueException("snakemq.metrics.max-peer-tags", max,
                    "Must not be negative.");
        }
        return new PeerTagLimit(max);
    }

    @Bean
    @ConditionalOnMissingBean
    SnakeMqSendObserver snakeMqSendObserver(ObservationRegistry registry,
                                            ObjectProvider<SnakeMqSendObservationConvention> convention,
                                            PeerTagLimit peers) {
        return new SnakeMqSendObserver(registry, convention.getIfUnique(), peers);
    }

    @Bean
    @ConditionalOnMissingBean
    ObservationSnakeListenerInterceptor snakeMqListenerObservationInterceptor(ObservationRegistry registry,
            ObjectProvider<SnakeMqListenerObservationConvention> convention, PeerTagLimit peers) {
        return new ObservationSnakeListenerInterceptor(registry, convention.getIfUnique(), peers);
    }

    @Bean
    @ConditionalOnMissingBean
    ObservationRpcClientInterceptor snakeMqRpcClientObservationInterceptor(ObservationRegistry registry,
            ObjectProvider<SnakeMqRpcClientObservationConvention> convention, PeerTagLimit peers) {
        return new ObservationRpcClientInterceptor(registry, convention.getIfUnique(), peers);
    }

    @Bean
    @ConditionalOnMissingBean
    ObservationRpcServerInterceptor snakeMqRpcServerObservationInterceptor(ObservationRegistry registry,
            ObjectProvider<SnakeMqRpcServerObservationConvention> convention, PeerTagLimit peers) {
        return new ObservationRpcServerInterceptor(registry, convention.getIfUnique(), peers);
    }
}
