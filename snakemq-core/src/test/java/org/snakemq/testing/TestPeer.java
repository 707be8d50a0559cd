package org.snakemq.testing;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.snakemq.link.Link;
import org.snakemq.link.LinkOptions;
import org.snakemq.link.SslConfig;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.packeter.Packeter;
import org.snakemq.storage.QueuesStorage;

/** A whole stack for tests: link, packeter, messaging, and everything its callbacks reported. */
public final class TestPeer implements AutoCloseable {

    /** A received message with its sender. */
    public record Received(String from, Message message) {
    }

    public final Link link;
    public final Packeter packeter;
    public final Messaging messaging;
    public final Recorded<Received> received = new Recorded<>();
    public final Recorded<UUID> sent = new Recorded<>();
    public final Recorded<UUID> dropped = new Recorded<>();
    public final Recorded<String> connects = new Recorded<>();
    public final Recorded<String> disconnects = new Recorded<>();
    public final Recorded<Throwable> errors = new Recorded<>();

    public TestPeer(String identity) {
        this(identity, null, MessagingOptions.defaults());
    }

    public TestPeer(String identity, QueuesStorage storage, MessagingOptions options) {
        this(identity, storage, options, true);
    }

    /** @param nativeTransport false runs the link on Java NIO even where epoll is available */
    public TestPeer(String identity, QueuesStorage storage, MessagingOptions options, boolean nativeTransport) {
        link = new Link(LinkOptions.defaults().withReconnectInterval(Duration.ofMillis(100))
                .withPollInterval(Duration.ofMillis(50)).withNativeTransport(nativeTransport));
        packeter = new Packeter(link);
        messaging = new Messaging(identity, "", packeter, storage, options);
        messaging.onMessageReceived().add((c, ident, m) -> received.add(new Received(ident, m)));
        messaging.onMessageSent().add((c, ident, uuid) -> sent.add(uuid));
        messaging.onMessageDropped().add((ident, uuid) -> dropped.add(uuid));
        messaging.onConnect().add((c, ident) -> connects.add(ident));
        messaging.onDisconnect().add((c, ident) -> disconnects.add(ident));
        messaging.onError().add((c, e) -> errors.add(e));
    }

    /** Listens on a free loopback port and returns it. */
    public InetSocketAddress listen() {
        return link.addListener(new InetSocketAddress("127.0.0.1", 0));
    }

    /** Listens with TLS on a free loopback port, starts the link and returns the port. */
    public InetSocketAddress startListening(SslConfig tls) {
        InetSocketAddress bound = link.addListener(new InetSocketAddress("127.0.0.1", 0), tls);
        start();
        return bound;
    }

    public TestPeer connectTo(InetSocketAddress address) {
        link.addConnector(address);
        return this;
    }

    public TestPeer start() {
        link.start();
        return this;
    }

    /** Texts received from one sender, in order. */
    public List<String> textsFrom(String sender) {
        return received.snapshot().stream().filter(r -> r.from().equals(sender)).map(r -> r.message().text()).toList();
    }

    @Override
    public void close() {
        link.close();
        messaging.close();
    }
}
