package org.snakemq.cli;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * A {@code HOST:PORT} argument: {@code 127.0.0.1:4000}, {@code localhost:4000}, {@code [::1]:4000},
 * or {@code :4000} (every interface; only for listening).
 */
record HostPort(String host, int port) {

    static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + text + "': write an IPv6 address in brackets, [::1]:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "': the port must be 0 to 65535");
        }
        return new HostPort(host, port);
    }

    /** The address to listen on; an empty host means every interface. */
    InetSocketAddress listenAddress() {
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** The address to connect to, resolved now; unresolved when the name is unknown. */
    InetSocketAddress connectAddress() {
        return new InetSocketAddress(host, port);
    }

    /** {@code 127.0.0.1:4000} or {@code [::1]:4000} for a bound or connected address. */
    static String format(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        if (address.getAddress() instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
        }
        return host + ":" + address.getPort();
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
