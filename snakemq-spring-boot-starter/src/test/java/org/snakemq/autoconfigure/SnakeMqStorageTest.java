package org.snakemq.autoconfigure;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.sqlite.SQLiteDataSource;

import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.storage.JdbcQueuesStorage;
import org.snakemq.storage.QueuesStorage;
import org.snakemq.storage.SqliteQueuesStorage;

import static org.assertj.core.api.Assertions.assertThat;

/** Persistent storage types: a persistent message survives closing and re-opening the context. */
class SnakeMqStorageTest {

    private final ApplicationContextRunner runner = SnakeMqContexts.snakeMq()
            .withPropertyValues("snakemq.identity=bob");

    @TempDir
    Path dir;

    @Test
    void sqliteStorageKeepsQueuesAcrossRestartsAndIsClosedWithTheContext() {
        Path file = dir.resolve("bob.db");
        ApplicationContextRunner sqlite = runner.withPropertyValues("snakemq.storage.type=sqlite",
                "snakemq.storage.path=" + file);
        sqlite.run(context -> {
            assertThat(context).hasSingleBean(SqliteQueuesStorage.class);
            context.getBean(Messaging.class).send("carol", Message.of("kept").persistent());
        });
        // the first context closed the storage (it holds the file locked while open)
        try (SqliteQueuesStorage reopened = new SqliteQueuesStorage(file)) {
            assertThat(reopened.loadAll()).singleElement()
                    .satisfies(row -> assertThat(row.message().text()).isEqualTo("kept"));
        }
        sqlite.run(context -> assertThat(context.getBean(Messaging.class).queueSize("carol")).isEqualTo(1));
    }

    @Test
    void jdbcStorageUsesTheApplicationsDataSource() {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("app.db"));
        ApplicationContextRunner jdbc = runner.withBean(DataSource.class, () -> dataSource)
                .withPropertyValues("snakemq.storage.type=jdbc", "snakemq.storage.table=bob_queues");
        jdbc.run(context -> {
            assertThat(context).hasSingleBean(JdbcQueuesStorage.class);
            context.getBean(Messaging.class).send("carol", Message.of("kept").persistent());
        });
        jdbc.run(context -> {
            assertThat(context.getBean(Messaging.class).queueSize("carol")).isEqualTo(1);
            assertThat(context.getBean(Messaging.class).storage()).isSameAs(context.getBean(QueuesStorage.class));
        });
    }

    @Test
    void jdbcStorageWithoutDataSourceFailsNamingTheProperty() {
        runner.withPropertyValues("snakemq.storage.type=jdbc").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("snakemq.storage.type")
                    .hasMessageContaining("DataSource");
        });
    }

    @Test
    void badTableNameFailsNamingTheProperty() {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("app.db"));
        runner.withBean(DataSource.class, () -> dataSource)
                .withPropertyValues("snakemq.storage.type=jdbc", "snakemq.storage.table=bad name;").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("snakemq.storage.table");
                });
    }
}
