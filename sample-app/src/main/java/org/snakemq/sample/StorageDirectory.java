package org.snakemq.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Creates the directory of {@code snakemq.storage.path} before the starter opens the SQLite file
 * there (SQLite creates the file, not its directory), so a first run works with any
 * {@code sample.data-dir}. Registered in {@code META-INF/spring.factories}; runs on the thread that
 * starts the application.
 */
public final class StorageDirectory implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        if (!"sqlite".equalsIgnoreCase(environment.getProperty("snakemq.storage.type", ""))) {
            return;
        }
        String path = environment.getProperty("snakemq.storage.path");
        if (path == null || path.isBlank()) {
            return;
        }
        Path directory = Path.of(path).toAbsolutePath().getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory + " for snakemq.storage.path", e);
        }
    }
}
