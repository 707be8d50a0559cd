package org.snakemq.storage;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A DataSource that can be told to fail like a full disk: while failing, new connections are refused
 * and connections already handed out throw from every statement execution and commit (rollback and
 * close still work, as they do on a real full disk).
 */
final class FailingDataSource implements DataSource {

    static final String FAILURE = "No space left on device (simulated)";

    private static final Set<String> FAILING_METHODS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeBatch", "executeLargeBatch", "executeLargeUpdate", "commit", "prepareStatement", "createStatement",
            "setAutoCommit");

    private final DataSource target;
    private volatile java.util.concurrent.CountDownLatch commitGate;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger stalled = new AtomicInteger();

    FailingDataSource(DataSource target) {
        this.target = target;
    }

    void failing(boolean fail) {
        failing.set(fail);
    }

    /** Makes every commit wait until the gate opens, like a very slow disk; {@code null} to stop. */
    void stallCommits(java.util.concurrent.CountDownLatch gate) {
        commitGate = gate;
    }

    /** How many commits waited at a gate of {@link #stallCommits}. */
    int stalledCommits() {
        return stalled.get();
    }

    /** How many calls failed because of this DataSource. */
    int failures() {
        return failures.get();
    }

    private SQLException failure() {
        failures.incrementAndGet();
        return new SQLException(FAILURE, "53100");
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (failing.get()) {
            throw failure();
        }
        return wrap(Connection.class, target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        if (failing.get()) {
            throw failure();
        }
        return wrap(Connection.class, target.getConnection(username, password));
    }

    private <T> T wrap(Class<T> type, T delegate) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (failing.get() && FAILING_METHODS.contains(method.getName())) {
                throw failure();
            }
            java.util.concurrent.CountDownLatch gate = commitGate;
            if (gate != null && method.getName().equals("commit")) {
                stalled.incrementAndGet();
                gate.await();
            }
            Object result;
            try {
                result = method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof PreparedStatement ps && method.getReturnType() == PreparedStatement.class) {
                return wrap(PreparedStatement.class, ps);
            }
            if (result instanceof Statement st && method.getReturnType() == Statement.class) {
                return wrap(Statement.class, st);
            }
            return result;
        };
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
