package org.snakemq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.snakemq.it.LoopbackApplications.start;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.spring.SnakeListener;
import org.snakemq.spring.SnakeMqOutbox;

/** SnakeMqOutbox: a send inside a Spring transaction on the storage's DataSource leaves only if it commits. */
class SnakeMqOutboxIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aSendInACommittedTransactionArrivesAndOneInARolledBackTransactionNeverLeaves() {
        try (ConfigurableApplicationContext bob = start(Receiver.class, "bob")) {
            int port = bob.getBean(Link.class).listenerAddresses().get(0).getPort();
            try (ConfigurableApplicationContext alice = new SpringApplicationBuilder(Sender.class)
                    .web(WebApplicationType.NONE)
                    .properties("snakemq.identity=alice", "spring.main.banner-mode=off",
                            "sender.db=" + dir.resolve("alice.db"), "snakemq.storage.type=jdbc",
                            "snakemq.connectors[0].host=127.0.0.1", "snakemq.connectors[0].port=" + port,
                            "snakemq.connectors[0].reconnect-interval=100ms")
                    .run()) {
                SnakeMqOutbox outbox = alice.getBean(SnakeMqOutbox.class);
                TransactionTemplate tx = new TransactionTemplate(alice.getBean(DataSourceTransactionManager.class));
                JdbcTemplate jdbc = new JdbcTemplate(alice.getBean(DataSource.class));
                jdbc.execute("CREATE TABLE orders (body TEXT)");
                tx.executeWithoutResult(status -> {
                    jdbc.update("INSERT INTO orders VALUES ('rolled back')");
                    outbox.send("bob", Message.of("never"));
                    status.setRollbackOnly();
                });
                tx.executeWithoutResult(status -> {
                    jdbc.update("INSERT INTO orders VALUES ('kept')");
                    outbox.send("bob", Message.of("order kept"));
                });
                outbox.send("bob", Message.of("no transaction"));
                Inbox inbox = bob.getBean(Inbox.class);
                await().atMost(WAIT).until(() -> inbox.texts.size() == 2);
                assertThat(inbox.texts).containsExactly("order kept", "no transaction");
                assertThat(jdbc.queryForList("SELECT body FROM orders", String.class)).containsExactly("kept");
                await().atMost(WAIT).until(() -> jdbc.queryForObject("SELECT count(*) FROM snakemq_items", Long.class) == 0);
            }
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Receiver {
        @Bean
        Inbox inbox() {
            return new Inbox();
        }
    }

    static class Inbox {
        final List<String> texts = new CopyOnWriteArrayList<>();

        @SnakeListener
        void received(String text) {
            texts.add(text);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Sender {
        @Bean
        DataSource dataSource(org.springframework.core.env.Environment env) {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(30_000);
            SQLiteDataSource ds = new SQLiteDataSource(config);
            ds.setUrl("jdbc:sqlite:" + env.getProperty("sender.db"));
            return ds;
        }

        @Bean
        DataSourceTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }
    }
}
