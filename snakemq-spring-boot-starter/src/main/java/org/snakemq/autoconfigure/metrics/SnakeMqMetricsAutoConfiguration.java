package org.snakemq.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import org.snakemq.autoconfigure.SnakeMqAutoConfiguration;
import org.snakemq.autoconfigure.delivery.SnakeListenerContainer;
import org.snakemq.autoconfigure.delivery.SnakeMqDeliveryAutoConfiguration;
import org.snakemq.autoconfigure.SnakeMqProperties;
import org.snakemq.link.Link;
import org.snakemq.messaging.Messaging;
import org.snakemq.rpc.RpcServer;
import org.snakemq.spring.metrics.RpcCallObserver;
import org.snakemq.spring.metrics.RpcCallTimer;
import org.snakemq.spring.metrics.SnakeMqDeliveryMeterBinder;
import org.snakemq.spring.metrics.SnakeMqMeterBinder;
import org.snakemq.spring.metrics.SnakeMqRefusalMeterBinder;
import org.snakemq.spring.metrics.TrafficCounter;

/**
 * Micrometer meters of the snakeMQ peer ({@code snakemq.*}), when Micrometer is on the class path.
 * The {@link SnakeMqMeterBinder} bean is bound to every registry by Spring Boot's metrics
 * auto-configuration, so the meters appear under {@code /actuator/metrics} without user code.
 */
@AutoConfiguration(after = {SnakeMqAutoConfiguration.class, SnakeMqDeliveryAutoConfiguration.class},
        afterName = {"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnBean({Messaging.class, Link.class})
public final class SnakeMqMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SnakeMqMeterBinder snakeMqMeterBinder(Messaging messaging, Link link, ObjectProvider<TrafficCounter> traffic,
                                          ObjectProvider<SnakeMqProperties> properties) {
        SnakeMqProperties config = properties.getIfAvailable(SnakeMqProperties::new);
        return new SnakeMqMeterBinder(messaging, link, traffic.getIfAvailable(), config.getMetrics().getMaxPeerTags());
    }

    @Bean
    @ConditionalOnMissingBean
    SnakeMqRefusalMeterBinder snakeMqRefusalMeterBinder(Link link, Messaging messaging,
                                                        ObjectProvider<RpcServer> rpcServer) {
        return new SnakeMqRefusalMeterBinder(link, messaging, rpcServer.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(SnakeListenerContainer.class)
    SnakeMqDeliveryMeterBinder snakeMqDeliveryMeterBinder(SnakeListenerContainer container) {
        return new SnakeMqDeliveryMeterBinder(container::deliveries);
    }

    @Bean
    // with observations on, the RPC client's observation makes this timer (no second count)
    @ConditionalOnMissingBean(value = RpcCallObserver.class,
            type = "org.snakemq.spring.observation.ObservationRpcClientInterceptor")
    @ConditionalOnBean(MeterRegistry.class)
    RpcCallTimer snakeMqRpcCallTimer(MeterRegistry registry) {
        return new RpcCallTimer(registry);
    }
}
