package org.snakemq.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import org.snakemq.storage.QueuesStorage;
import org.snakemq.storage.SqliteQueuesStorage;

/**
 * Provides the SQLite queue storage for {@code snakemq.storage.type=sqlite} when the starter does not
 * (this version of the starter creates a storage only for type {@code memory}). It runs after the
 * starter's auto-configuration and backs off as soon as a {@link QueuesStorage} bean exists, so it
 * disappears by itself once the starter handles the type. Creates the file's directory.
 */
@AutoConfiguration(afterName = "org.snakemq.autoconfigure.SnakeMqAutoConfiguration")
@ConditionalOnProperty(name = "snakemq.storage.type", havingValue = "sqlite")
public class SqliteStorageConfiguration {

    @Bean
    @ConditionalOnMissingBean(QueuesStorage.class)
    SqliteQueuesStorage sampleSqliteQueuesStorage(Environment environment) {
        Path file = Path.of(environment.getProperty("snakemq.storage.path", "snakemq.db")).toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of snakemq.storage.path " + file, e);
        }
        return new SqliteQueuesStorage(file);
    }
}
