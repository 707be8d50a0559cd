package org.snakemq.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.snakemq.message.Message;

/** Deletes in runs and lists remove exactly the keys asked for, whatever their order and repeats. */
class SqlStatementsDeleteTest {

    private static final int ROWS = 1000;

    private Connection connection;
    private SqlStatements statements;
    private long[] keys;

    @BeforeEach
    void fillTable() throws Exception {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        connection.setAutoCommit(false);
        SqliteDialect dialect = new SqliteDialect(SqliteDialect.ORIGINAL_TABLE);
        dialect.prepareSchema(connection, "test");
        statements = new SqlStatements(dialect, "test", connection, new SqlStatements.KeyCounter());
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            messages.add(Message.of(("m" + i).getBytes(StandardCharsets.UTF_8)));
        }
        PushRequest push = new PushRequest("alice", messages);
        statements.insert(List.of(push));
        connection.commit();
        keys = push.keys();
    }

    @AfterEach
    void close() throws Exception {
        statements.close();
        connection.close();
    }

    @Test
    void runsHolesRepeatsAndScatteredKeysInAnyOrder() throws Exception {
        List<Long> asked = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            if (i != 150) { // a hole splits the run in two
                asked.add(keys[i]);
            }
        }
        for (int i = 400; i < 400 + SqlStatements.MIN_KEYS_PER_RANGE - 1; i++) {
            asked.add(keys[i]); // one short of a range: goes in a list
        }
        asked.add(keys[500]);
        asked.add(keys[500]);
        asked.add(keys[501]);
        for (int i = 510; i < 800; i += 3) {
            asked.add(keys[i]);
        }
        asked.add(keys[ROWS - 1] + 5); // never stored: ignored
        Collections.shuffle(asked, new Random(11));

        Set<Long> remaining = deleteAndLoad(asked);

        Set<Long> expected = new TreeSet<>();
        for (long key : keys) {
            expected.add(key);
        }
        expected.removeAll(asked);
        assertThat(remaining).containsExactlyElementsOf(expected);
        assertThat(remaining).contains(keys[150], keys[300], keys[399], keys[407], keys[502], keys[511]);
    }

    @Test
    void everyKeyInOneRun() throws Exception {
        List<Long> asked = new ArrayList<>();
        for (long key : keys) {
            asked.add(key);
        }
        Collections.reverse(asked);

        assertThat(deleteAndLoad(asked)).isEmpty();
    }

    @Test
    void aRunOfExactlyTheRangeLengthAndTheKeysAroundItStay() throws Exception {
        List<Long> asked = new ArrayList<>();
        for (int i = 100; i < 100 + SqlStatements.MIN_KEYS_PER_RANGE; i++) {
            asked.add(keys[i]);
        }

        Set<Long> remaining = deleteAndLoad(asked);

        assertThat(remaining).hasSize(ROWS - SqlStatements.MIN_KEYS_PER_RANGE)
                .contains(keys[99], keys[100 + SqlStatements.MIN_KEYS_PER_RANGE])
                .doesNotContainAnyElementsOf(asked);
    }

    private Set<Long> deleteAndLoad(List<Long> asked) throws Exception {
        long[] buffer = asked.stream().mapToLong(Long::longValue).toArray();
        statements.delete(buffer, buffer.length);
        connection.commit();
        return statements.loadAll().stream().map(StoredMessage::key).collect(Collectors.toCollection(TreeSet::new));
    }
}
