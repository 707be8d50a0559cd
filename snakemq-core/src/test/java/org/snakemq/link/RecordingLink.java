package org.snakemq.link;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.netty.buffer.Unpooled;

/** A link for tests that records what its callbacks saw. */
final class RecordingLink implements AutoCloseable {

    final Link link;
    final List<Connection> connects = new CopyOnWriteArrayList<>();
    final List<Connection> disconnects = new CopyOnWriteArrayList<>();
    /** What each connection's onConnect callback saw of the peer certificates, by connection id. */
    final Map<Long, List<String>> peerNamesAtConnect = new ConcurrentHashMap<>();
    final Map<Long, String> protocolAtConnect = new ConcurrentHashMap<>();
    private final Map<Long, ByteArrayOutputStream> received = new ConcurrentHashMap<>();
    private volatile Consumer<Connection> onConnectAction = c -> { };

    RecordingLink() {
        this(LinkOptions.defaults().withReconnectInterval(Duration.ofMillis(300)));
    }

    RecordingLink(LinkOptions options) {
        link = new Link(options);
        link.onConnect().add(c -> {
            // read inside the callback: this is where the original's on_connect calls getpeercert()
            peerNamesAtConnect.put(c.id(), c.peerCertificates().stream()
                    .map(cert -> CertificateNames.commonName(cert).orElse("?")).toList());
            protocolAtConnect.put(c.id(), c.isSecure() ? c.sslSession().getProtocol() : "plain");
            connects.add(c);
            onConnectAction.accept(c);
        });
        link.onDisconnect().add(disconnects::add);
        link.onReceive().add((c, data) -> {
            ByteArrayOutputStream sink = received.computeIfAbsent(c.id(), id -> new ByteArrayOutputStream());
            synchronized (sink) {
                byte[] bytes = new byte[data.readableBytes()];
                data.readBytes(bytes);
                sink.writeBytes(bytes);
            }
        });
    }

    /** Runs an action in every onConnect callback, after recording. */
    RecordingLink whenConnected(Consumer<Connection> action) {
        this.onConnectAction = action;
        return this;
    }

    InetSocketAddress listen(SslConfig ssl) {
        InetSocketAddress bound = link.addListener(new InetSocketAddress("127.0.0.1", 0), ssl);
        link.start();
        return bound;
    }

    void connect(InetSocketAddress address, SslConfig ssl) {
        link.addConnector(address, ssl);
        link.start();
    }

    void send(Connection connection, String text) {
        link.send(connection, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), null);
    }

    String receivedText(Connection connection) {
        ByteArrayOutputStream sink = received.get(connection.id());
        if (sink == null) {
            return "";
        }
        synchronized (sink) {
            return sink.toString(StandardCharsets.UTF_8);
        }
    }

    byte[] receivedBytes(Connection connection) {
        ByteArrayOutputStream sink = received.get(connection.id());
        if (sink == null) {
            return new byte[0];
        }
        synchronized (sink) {
            return sink.toByteArray();
        }
    }

    Connection firstConnection() {
        return connects.get(0);
    }

    @Override
    public void close() {
        link.close();
    }
}
