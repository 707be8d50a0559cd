package org.snakemq.link;

import java.nio.channels.spi.SelectorProvider;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategy;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The socket implementation a link runs on: Netty's native epoll transport where its library loads,
 * Java NIO everywhere else. Epoll reads and writes with fewer system calls and keeps no selected-key
 * set.
 *
 * @param name               "epoll" or "nio"
 * @param serverChannelClass the listening socket class
 * @param socketChannelClass the connection socket class
 */
record IoTransport(String name, Class<? extends ServerSocketChannel> serverChannelClass,
                   Class<? extends SocketChannel> socketChannelClass) {

    static final IoTransport EPOLL = new IoTransport("epoll", EpollServerSocketChannel.class, EpollSocketChannel.class);
    static final IoTransport NIO = new IoTransport("nio", NioServerSocketChannel.class, NioSocketChannel.class);

    /** Epoll when preferred and its native library loads, NIO otherwise. */
    static IoTransport choose(boolean preferNative) {
        return preferNative && Epoll.isAvailable() ? EPOLL : NIO;
    }

    /**
     * The event loop's I/O handler; {@code strategy} decides between polling and blocking, null blocks
     * whenever there is no work.
     */
    IoHandlerFactory handlerFactory(SelectStrategy strategy) {
        if (this == EPOLL) {
            // 0: Netty's default number of events per wait
            return strategy == null ? EpollIoHandler.newFactory() : EpollIoHandler.newFactory(0, () -> strategy);
        }
        return strategy == null ? NioIoHandler.newFactory()
                : NioIoHandler.newFactory(SelectorProvider.provider(), () -> strategy);
    }
}
