package org.snakemq.link;

import javax.net.ssl.SSLException;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns Netty channel events of one connection into the link's callbacks. */
final class LinkChannelHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger("snakemq.link");

    private final Link link;
    private final Connection.Side side;
    private final Connector connector;
    private Connection connection;

    LinkChannelHandler(Link link, Connection.Side side, Connector connector) {
        this.link = link;
        this.side = side;
        this.connector = connector;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!link.acceptsConnections()) {
            ctx.close();
            return;
        }
        if (ctx.pipeline().get("ssl") == null) {
            up(ctx);
        }
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                up(ctx);
            } else {
                log.warn("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(),
                        describe(handshake.cause()));
                ctx.close();
            }
        }
        super.userEventTriggered(ctx, event);
    }

    private void up(ChannelHandlerContext ctx) {
        connection = new Connection(link.nextConnectionId(), side, ctx.channel());
        if (connector != null) {
            connector.connected(connection);
        }
        link.connectionUp(connection);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (connection != null && msg instanceof ByteBuf data) {
                link.received(connection, data);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (connection != null && ctx.channel().isWritable()) {
            link.writable(connection);
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (connection != null) {
            link.connectionDown(connection);
        }
        if (connector != null) {
            connector.disconnected();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Object who = connection != null ? connection : ctx.channel().remoteAddress();
        if (isTls(cause) && connection == null && ctx.pipeline().get("ssl") != null) {
            log.debug("{} TLS error during handshake: {}", who, describe(cause)); // reported by the handshake event
        } else if (isTls(cause)) {
            // a TLS failure is a configuration or an attack problem worth seeing; resets are not
            log.warn("{} TLS error: {}", who, describe(cause));
        } else {
            log.debug("{} error: {}", who, describe(cause));
        }
        ctx.close();
    }

    private static boolean isTls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException || t instanceof NotSslRecordException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = SocketErrors.describe(cause); // the same words on epoll as on NIO
        return root == cause ? text : text + " (" + SocketErrors.describe(root) + ")";
    }
}
