package org.snakemq.autoconfigure;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.snakemq.link.Connection;
import org.snakemq.link.Link;
import org.snakemq.link.SslConfig;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.packeter.Packeter;

/** A plain-Java peer (no Spring) that records what it receives and who connects. */
final class CorePeer implements AutoCloseable {

    final Link link = new Link();
    final Messaging messaging;
    final List<Message> received = new CopyOnWriteArrayList<>();
    final List<Connection> connections = new CopyOnWriteArrayList<>();

    CorePeer(String identity) {
        this(identity, MessagingOptions.defaults());
    }

    CorePeer(String identity, MessagingOptions options) {
        messaging = new Messaging(identity, "", new Packeter(link), null, options);
        messaging.onMessageReceived().add((c, ident, message) -> received.add(message));
        messaging.onConnect().add((c, ident) -> connections.add(c));
    }

    CorePeer connectTo(int port, SslConfig ssl) {
        link.addConnector(new InetSocketAddress("127.0.0.1", port), Duration.ofMillis(100), ssl);
        link.start();
        return this;
    }

    int listen() {
        int port = link.addListener(new InetSocketAddress("127.0.0.1", 0)).getPort();
        link.start();
        return port;
    }

    @Override
    public void close() {
        link.close();
    }
}
