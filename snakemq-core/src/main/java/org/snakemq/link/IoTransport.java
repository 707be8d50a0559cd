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
 * set. The epoll classes are an optional dependency: they are touched only after their presence was
 * checked, so a class path without them runs on NIO.
 *
 * @param name               "epoll" or "nio"
 * @param serverChannelClass the listening socket class
 * @param socketChannelClass the connection socket class
 */
record IoTransport(String name, Class<? extends ServerSocketChannel> serverChannelClass,
                   Class<? extends SocketChannel> socketChannelClass) {

    static final IoTransport NIO = new IoTransport("nio", NioServerSocketChannel.class, NioSocketChannel.class);

    private static final boolean EPOLL_CLASSES = present("io.netty.channel.epoll.Epoll");

    /** Epoll when preferred and its classes are present and its native library loads, NIO otherwise. */
    static IoTransport choose(boolean preferNative) {
        return preferNative && EPOLL_CLASSES && Native.AVAILABLE ? Native.EPOLL : NIO;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, IoTransport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Initialised on first use only, so the epoll classes are loaded only when they are present. */
    private static final class Native {
        static final boolean AVAILABLE = Epoll.isAvailable();
        static final IoTransport EPOLL = new IoTransport("epoll", EpollServerSocketChannel.class,
                EpollSocketChannel.class);

        static IoHandlerFactory handlerFactory(SelectStrategy strategy) {
            // 0: Netty's default number of events per wait
            return strategy == null ? EpollIoHandler.newFactory() : EpollIoHandler.newFactory(0, () -> strategy);
        }
    }

    /**
     * The event loop's I/O handler; {@code strategy} decides between polling and blocking, null blocks
     * whenever there is no work.
     */
    IoHandlerFactory handlerFactory(SelectStrategy strategy) {
        if (this != NIO) {
            return Native.handlerFactory(strategy);
        }
        return strategy == null ? NioIoHandler.newFactory()
                : NioIoHandler.newFactory(SelectorProvider.provider(), () -> strategy);
    }
}
