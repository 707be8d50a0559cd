package org.snakemq.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.snakemq.message.HeaderBlock;
import org.snakemq.message.Message;

/**
 * Batches that mix plain runs (one queue, no TTL, no headers, one flags value: bound once per
 * statement) with other rows store every row as given, under the key handed back for it.
 */
class SqlStatementsInsertTest {

    private Connection connection;
    private SqliteDialect dialect;
    private SqlStatements statements;

    @BeforeEach
    void open() throws Exception {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        connection.setAutoCommit(false);
        dialect = new SqliteDialect(SqliteDialect.ORIGINAL_TABLE);
        dialect.prepareSchema(connection, "test");
        statements = new SqlStatements(dialect, "test", connection, new SqlStatements.KeyCounter());
    }

    @AfterEach
    void close() throws Exception {
        statements.close();
        connection.close();
    }

    @Test
    void mixedBatchesStoreEveryRowAsGiven() throws Exception {
        List<PushRequest> pushes = List.of(
                push("alice", 30, i -> Message.of(data("a", i))), // too short for a run
                push("bob", 120, i -> i == 60 ? Message.of(data("b", i)).withTtl(Duration.ofMillis(1500))
                        : i == 110 ? Message.of(data("b", i)).withHeader("trace", "t" + i) : Message.of(data("b", i))),
                push("alice", 50, i -> Message.of(data("p", i)).persistent()),
                push("carol", 55, i -> Message.of(data("c", i)).withFlags(i % 2)),
                push("bob", 7, i -> Message.of(data("t", i))));
        statements.insert(pushes);
        connection.commit();

        Map<Long, String> expected = new TreeMap<>();
        for (PushRequest push : pushes) {
            for (int i = 0; i < push.messages().size(); i++) {
                assertThat(expected.put(push.keys()[i], describe(push.queue(), push.messages().get(i))))
                        .as("key handed out twice").isNull();
            }
        }
        assertThat(stored()).containsExactlyEntriesOf(expected);
    }

    @Test
    void severalBatchesInARowKeepTheirKeysApart() throws Exception {
        List<PushRequest> first = List.of(push("alice", 100, i -> Message.of(data("x", i))));
        List<PushRequest> second = List.of(push("alice", 75, i -> Message.of(data("y", i))));
        statements.insert(first);
        statements.insert(second);
        connection.commit();

        Map<Long, String> expected = new TreeMap<>();
        for (PushRequest push : List.of(first.get(0), second.get(0))) {
            for (int i = 0; i < push.messages().size(); i++) {
                expected.put(push.keys()[i], describe(push.queue(), push.messages().get(i)));
            }
        }
        assertThat(expected).hasSize(175);
        assertThat(stored()).containsExactlyEntriesOf(expected);
    }

    private static PushRequest push(String queue, int count, java.util.function.IntFunction<Message> message) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(message.apply(i));
        }
        return new PushRequest(queue, messages);
    }

    private static byte[] data(String prefix, int i) {
        return (prefix + i).getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(String queue, Message m) {
        Double ttl = m.ttl() == null ? null : m.ttl().toMillis() / 1000.0;
        byte[] headers = m.headers().isEmpty() ? null : HeaderBlock.encode(m.headers());
        return describe(queue, UuidText.toHex(m.uuid()), m.data(), ttl, m.flags(), headers);
    }

    private static String describe(String queue, String uuid, byte[] data, Double ttl, int flags, byte[] headers) {
        return queue + " " + uuid + " " + new String(data, StandardCharsets.UTF_8) + " ttl=" + ttl + " flags=" + flags
                + " headers=" + Arrays.toString(headers);
    }

    /** Every row of the table, by key. */
    private Map<Long, String> stored() throws Exception {
        Map<Long, String> rows = new TreeMap<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + dialect.keyColumn() + ", queue_name, uuid, data, ttl, flags,"
                     + " headers FROM " + dialect.table())) {
            while (rs.next()) {
                Object ttl = rs.getObject(5);
                rows.put(rs.getLong(1), describe(rs.getString(2),
                        new String(rs.getBytes(3), StandardCharsets.US_ASCII), rs.getBytes(4),
                        ttl == null ? null : ((Number) ttl).doubleValue(), rs.getInt(6), rs.getBytes(7)));
            }
        }
        return rows;
    }
}
