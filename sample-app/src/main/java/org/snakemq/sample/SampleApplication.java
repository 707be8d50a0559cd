package org.snakemq.sample;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.StringUtils;

/**
 * The sample application. Without a profile it runs the {@link Demo}: alice and bob in one JVM. With
 * {@code --spring.profiles.active=alice} (or {@code bob}) it runs that one peer, to be paired with the
 * other started in a second terminal.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

    public static void main(String[] args) {
        if (profileGiven(args)) {
            SpringApplication application = new SpringApplication(SampleApplication.class);
            application.setDefaultProperties(Map.of("sample.chat.enabled", "true"));
            application.run(args);
        } else {
            System.exit(Demo.runFromCommandLine(args));
        }
    }

    /** Journal of this peer; the demo registers one shared by both of its peers instead. */
    @Bean
    @ConditionalOnMissingBean
    Journal journal() {
        return new Journal();
    }

    /** Whether a profile was chosen on the command line, as a system property or in the environment. */
    static boolean profileGiven(String[] args) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        return StringUtils.hasText(environment.getProperty("spring.profiles.active"));
    }
}
