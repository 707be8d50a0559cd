package org.snakemq.autoconfigure;

import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What the starter's context tests start from: SnakeMQ's auto-configuration and the settings many of them share. */
final class SnakeMqContexts {

    /** Spring Boot's auto-configurations that give a context a simple meter registry. */
    static final AutoConfigurations SIMPLE_METRICS = AutoConfigurations.of(MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class);

    /** Properties of a peer named bob that listens on a free loopback port. */
    static final String[] BOB_LISTENING = {"snakemq.identity=bob", "snakemq.listeners[0].host=127.0.0.1",
            "snakemq.listeners[0].port=0"};

    private SnakeMqContexts() {
    }

    /** A runner with {@link SnakeMqAutoConfiguration} and the given other auto-configurations. */
    static ApplicationContextRunner snakeMq(Class<?>... otherAutoConfigurations) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SnakeMqAutoConfiguration.class))
                .withConfiguration(AutoConfigurations.of(otherAutoConfigurations));
    }
}
