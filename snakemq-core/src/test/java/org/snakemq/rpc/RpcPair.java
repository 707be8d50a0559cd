package org.snakemq.rpc;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;

import org.snakemq.link.Connection;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.messaging.ReceiveHook;
import org.snakemq.testing.TestPeer;

/** Two peers on loopback: "bob" listens and serves, "alice" connects and calls. */
final class RpcPair implements AutoCloseable {

    final TestPeer bob;
    final TestPeer alice;
    final RpcServer server;
    final RpcClient client;
    /** Connections to alice as bob saw them connect, latest last. */
    final List<Connection> bobsConnections = new CopyOnWriteArrayList<>();

    RpcPair() {
        this(null);
    }

    /** @param executor the server's executor, null for its default pool */
    RpcPair(java.util.concurrent.Executor executor) {
        this(executor, MessagingOptions.defaults());
    }

    RpcPair(java.util.concurrent.Executor executor, MessagingOptions options) {
        bob = new TestPeer("bob", null, options);
        alice = new TestPeer("alice", null, options);
        server = new RpcServer(new ReceiveHook(bob.messaging), executor);
        client = new RpcClient(new ReceiveHook(alice.messaging));
        bob.messaging.onConnect().add((connection, identity) -> bobsConnections.add(connection));
    }

    /** Starts both links and waits until they are connected. */
    RpcPair start() {
        InetSocketAddress address = bob.listen();
        bob.start();
        alice.connectTo(address).start();
        awaitConnected();
        return this;
    }

    /** A started pair whose server serves {@code instance} as {@code name}. */
    static RpcPair serving(String name, Object instance) {
        RpcPair pair = new RpcPair().start();
        pair.server.register(name, instance);
        return pair;
    }

    void awaitConnected() {
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> alice.messaging.isConnected("bob") && bob.messaging.isConnected("alice"));
    }

    /** Closes bob's side of the current connection to alice, as a broken network would. */
    void cutConnection() {
        Connection connection = bobsConnections.get(bobsConnections.size() - 1);
        bob.link.disconnect(connection);
    }

    @Override
    public void close() {
        client.close();
        server.close();
        alice.close();
        bob.close();
    }
}
