package org.snakemq.it;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts test applications without a web server, each listening on a free loopback port. */
final class LoopbackApplications {

    private LoopbackApplications() {
    }

    /** Runs {@code app} as peer {@code identity} with {@code properties} on top. */
    static ConfigurableApplicationContext start(Class<?> app, String identity, String... properties) {
        return new SpringApplicationBuilder(app)
                .web(WebApplicationType.NONE)
                .properties("snakemq.identity=" + identity, "spring.main.banner-mode=off",
                        "snakemq.listeners[0].host=127.0.0.1", "snakemq.listeners[0].port=0")
                .properties(properties)
                .run();
    }
}
