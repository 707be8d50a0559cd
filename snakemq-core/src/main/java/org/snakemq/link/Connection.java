package org.snakemq.link;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

/**
 * One live TCP (or TLS) connection of a {@link Link}. Once connected both sides are equal; the
 * {@link #side()} only tells who dialled. Ids are unique for the life of the link.
 * Thread-safe handle: any thread may read it; its socket is driven by the loop thread only.
 */
public final class Connection {

    /** Who opened the connection. Immutable. */
    public enum Side { LISTENER, CONNECTOR }

    private final long id;
    private final Side side;
    private final Channel channel;

    Connection(long id, Side side, Channel channel) {
        this.id = id;
        this.side = side;
        this.channel = channel;
    }

    /** The connection id, unique for the link's life. */
    public long id() {
        return id;
    }

    public Side side() {
        return side;
    }

    public InetSocketAddress remoteAddress() {
        return toInet(channel.remoteAddress());
    }

    public InetSocketAddress localAddress() {
        return toInet(channel.localAddress());
    }

    /** Whether the connection is wrapped in TLS. */
    public boolean isSecure() {
        return channel.pipeline().get(SslHandler.class) != null;
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * The certificate chain the peer presented over TLS, its own certificate first; empty for a
     * plaintext connection or a peer that sent none. This is the original's
     * {@code get_socket_by_conn(conn).getpeercert()}.
     */
    public List<X509Certificate> peerCertificates() {
        SSLSession session = sslSession();
        if (session == null) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : session.getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return List.copyOf(chain);
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /** The TLS session, or {@code null} for a plaintext connection. */
    public SSLSession sslSession() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        return ssl == null ? null : ssl.engine().getSession();
    }

    Channel channel() {
        return channel;
    }

    private static InetSocketAddress toInet(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : null;
    }

    @Override
    public String toString() {
        return "conn#" + id + "(" + side.name().toLowerCase() + " " + channel.remoteAddress() + ")";
    }
}
