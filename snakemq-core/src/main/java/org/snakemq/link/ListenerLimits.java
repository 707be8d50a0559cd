package org.snakemq.link;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;

import io.netty.channel.Channel;

/**
 * The connections one listener holds open, in all and per remote IP address, against
 * {@link LinkOptions#maxConnections()} and {@link LinkOptions#maxConnectionsPerAddress()}. A
 * connection counts from the moment it is accepted until its channel closes, whether or not it ever
 * finished a TLS handshake. Thread-safe (accepted channels all run on the link's one loop thread, the
 * lock costs nothing there).
 */
final class ListenerLimits {

    private final int maxConnections;
    private final int maxPerAddress;
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int open;

    ListenerLimits(int maxConnections, int maxPerAddress) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * Counts an accepted channel in until it closes.
     *
     * @return null when admitted, else why not (for the log)
     */
    String admit(Channel channel) {
        InetAddress address = addressOf(channel.remoteAddress());
        synchronized (this) {
            if (open >= maxConnections) {
                return "the listener has " + open + " connections open, its maximum (maxConnections)";
            }
            int fromAddress = address == null ? 0 : perAddress.getOrDefault(address, 0);
            if (address != null && fromAddress >= maxPerAddress) {
                return fromAddress + " connections from " + address.getHostAddress()
                        + " are open, the most from one address (maxConnectionsPerAddress)";
            }
            open++;
            if (address != null) {
                perAddress.put(address, fromAddress + 1);
            }
        }
        channel.closeFuture().addListener(f -> release(address));
        return null;
    }

    synchronized int open() {
        return open;
    }

    synchronized int openFrom(InetAddress address) {
        return perAddress.getOrDefault(address, 0);
    }

    private synchronized void release(InetAddress address) {
        open--;
        if (address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    private static InetAddress addressOf(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
