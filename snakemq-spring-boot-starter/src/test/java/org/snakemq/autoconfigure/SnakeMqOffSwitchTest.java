package org.snakemq.autoconfigure;

import java.util.List;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import org.snakemq.link.Link;
import org.snakemq.messaging.Messaging;
import org.snakemq.storage.DeadLetterStore;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code snakemq.enabled=false} switches off every auto-configuration the starter registers, not only the core one. */
class SnakeMqOffSwitchTest {

    @Test
    void everyAutoConfigurationOfTheStarterStandsDownWhenThePeerIsSwitchedOff() throws Exception {
        List<Class<?>> starters = starterAutoConfigurations();
        assertThat(starters).as("the starter's AutoConfiguration.imports").hasSizeGreaterThanOrEqualTo(7);
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(starters.toArray(Class<?>[]::new)))
                .withPropertyValues("snakemq.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(Link.class).doesNotHaveBean(Messaging.class)
                            .doesNotHaveBean(DeadLetterStore.class);
                    assertThat(context.getBeanDefinitionNames())
                            .as("no bean of the starter is defined")
                            .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).contains("snakemq"));
                });
    }

    private static List<Class<?>> starterAutoConfigurations() throws ClassNotFoundException {
        ClassLoader loader = SnakeMqOffSwitchTest.class.getClassLoader();
        List<String> names = StreamSupport.stream(ImportCandidates.load(AutoConfiguration.class, loader).spliterator(),
                false).filter(name -> name.startsWith("org.snakemq.")).toList();
        java.util.ArrayList<Class<?>> classes = new java.util.ArrayList<>();
        for (String name : names) {
            classes.add(Class.forName(name, false, loader));
        }
        return classes;
    }
}
