package org.snakemq.link;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured outgoing address: dials, and dials again after a failure or a break, after the wait
 * its {@link ReconnectBackoff} gives. Confined to the loop thread.
 */
final class Connector {

    private static final Logger log = LoggerFactory.getLogger("snakemq.link");

    private final Link link;
    private final InetSocketAddress address;
    private final ReconnectSchedule schedule;
    private final SslConfig ssl;
    private Channel channel;
    private ScheduledFuture<?> retry;
    private boolean active;

    Connector(Link link, InetSocketAddress address, ReconnectBackoff backoff, SslConfig ssl) {
        this.link = link;
        this.address = address;
        this.schedule = new ReconnectSchedule(backoff, () -> ThreadLocalRandom.current().nextDouble());
        this.ssl = ssl;
    }

    void connect() {
        active = true;
        dial();
    }

    private void dial() {
        retry = null;
        if (!active || channel != null) {
            return;
        }
        // resolve on every attempt so a peer that moved (DNS) is found again
        InetSocketAddress target = address.isUnresolved()
                ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
        ChannelFuture future = link.connectorBootstrap()
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            SslHandler handler = ssl.clientContext().newHandler(ch.alloc(),
                                    address.getHostString(), address.getPort());
                            handler.setHandshakeTimeoutMillis(ssl.handshakeTimeout().toMillis());
                            ch.pipeline().addLast("ssl", handler);
                        }
                        ch.pipeline().addLast("link",
                                new LinkChannelHandler(link, Connection.Side.CONNECTOR, Connector.this));
                    }
                })
                .connect(target);
        channel = future.channel();
        future.addListener(f -> {
            if (!f.isSuccess()) {
                log.debug("connect to {} failed: {}", address, SocketErrors.describe(f.cause()));
                channel = null;
                scheduleRetry();
            }
        });
    }

    void connected(Connection connection) {
        schedule.connected(System.nanoTime());
        log.debug("connector {} up as {}", address, connection);
    }

    void disconnected() {
        channel = null;
        scheduleRetry();
    }

    private void scheduleRetry() {
        if (active && retry == null) {
            Duration delay = schedule.nextDelay(System.nanoTime());
            log.debug("dialling {} again in {} ms", address, delay.toMillis());
            retry = link.schedule(this::dial, delay);
        }
    }

    /** Stops dialling and closes the connection; {@link #connect()} starts again. */
    void pause() {
        active = false;
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    void cancel() {
        pause();
    }
}
