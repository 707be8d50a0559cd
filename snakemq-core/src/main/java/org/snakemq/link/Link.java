package org.snakemq.link;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakemq.internal.LogBudget;

/**
 * The symmetric TCP transport at the bottom of the stack: any number of listeners and connectors,
 * one loop thread that runs every callback of this link and of the layers built on it.
 *
 * <pre>{@code
 * try (Link link = new Link()) {
 *     InetSocketAddress bound = link.addListener(new InetSocketAddress("127.0.0.1", 0));
 *     link.addConnector(new InetSocketAddress("localhost", 4001));
 *     link.loop(); // until another thread calls link.stop()
 * }
 * }</pre>
 *
 * <p>Threads: callbacks run on the link's own loop thread, named {@code snakemq-link-N}, never on the
 * thread that called {@link #loop()}. Listeners accept connections as soon as they are added;
 * connectors dial once the link runs ({@link #loop()} or {@link #start()}). All public methods are
 * thread-safe.
 *
 * <p>Each listener holds at most {@link LinkOptions#maxConnections()} connections open, and at most
 * {@link LinkOptions#maxConnectionsPerAddress()} from one remote IP address; a connection beyond either
 * is closed as soon as it is accepted, before any TLS handshake, counted in
 * {@link #refusedConnections()} and logged at WARN (at most 20 lines a second).
 */
public final class Link implements Transport, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("snakemq.link");
    private static final AtomicInteger LINK_NUMBERS = new AtomicInteger();

    private final LinkOptions options;
    private final EventLoopGroup group;
    private final EventLoop loop;
    /** Idle polling of the single loop thread; null when {@link LinkOptions#spinLimit()} is zero. */
    private final AdaptiveSpin spin;
    private final IoTransport io;
    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private final AtomicLong connectionIds = new AtomicLong();
    private final Map<InetSocketAddress, Channel> listeners = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Connector> connectors = new ConcurrentHashMap<>();
    private final Map<Long, Connection> connections = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, ListenerLimits> listenerLimits = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();
    private final LogBudget refusalLines = new LogBudget(20, Duration.ofSeconds(1));

    private final TransportCallbacks callbacks = new TransportCallbacks(log);

    private final Object stateLock = new Object();
    private State state = State.NEW;
    private CountDownLatch stopped = new CountDownLatch(1);
    private ScheduledFuture<?> pollTask;

    /** The largest read buffer of a connection. */
    static final int MAX_READ_BYTES = 256 * 1024;

    private enum State { NEW, RUNNING, STOPPED, CLOSED }

    /** A link with {@link LinkOptions#defaults()}. */
    public Link() {
        this(LinkOptions.defaults());
    }

    public Link(LinkOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        String name = "snakemq-link-" + LINK_NUMBERS.incrementAndGet();
        long spinLimit = options.spinLimit().toNanos();
        this.spin = spinLimit > 0 ? new AdaptiveSpin(spinLimit) : null;
        this.io = IoTransport.choose(options.nativeTransport());
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name, false),
                io.handlerFactory(spin));
        this.loop = group.next();
    }

    public LinkOptions options() {
        return options;
    }

    /** The socket implementation in use: "epoll" or "nio" (see {@link LinkOptions#nativeTransport()}). */
    public String ioTransport() {
        return io.name();
    }

    // ---------------------------------------------------------------- listeners and connectors

    /**
     * Listens on an address (port 0 picks a free port) and returns the bound address. Connections are
     * accepted from now on.
     */
    public InetSocketAddress addListener(InetSocketAddress address) {
        return addListener(address, null);
    }

    /** Listens with TLS; {@code ssl} null means plaintext. */
    public InetSocketAddress addListener(InetSocketAddress address, SslConfig ssl) {
        Objects.requireNonNull(address, "address");
        if (ssl != null && !ssl.hasKey()) {
            throw new IllegalArgumentException("a TLS listener needs a private key and certificate");
        }
        checkNotClosed();
        ListenerLimits limits = new ListenerLimits(options.maxConnections(), options.maxConnectionsPerAddress());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(io.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, readBuffers())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(options.writeBufferLow(), options.writeBufferHigh()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        String refusal = limits.admit(ch);
                        if (refusal != null) {
                            refuse(ch, refusal);
                            return;
                        }
                        if (ssl != null) {
                            SslHandler handler = ssl.serverContext().newHandler(ch.alloc());
                            handler.setHandshakeTimeoutMillis(ssl.handshakeTimeout().toMillis());
                            ch.pipeline().addLast("ssl", handler);
                        }
                        ch.pipeline().addLast("link", new LinkChannelHandler(Link.this, Connection.Side.LISTENER, null));
                    }
                });
        ChannelFuture bind = bootstrap.bind(address).syncUninterruptibly();
        if (!bind.isSuccess()) {
            throw new LinkException("cannot listen on " + address + ": " + bind.cause().getMessage(), bind.cause());
        }
        Channel server = bind.channel();
        InetSocketAddress bound = (InetSocketAddress) server.localAddress();
        listeners.put(bound, server);
        listenerLimits.put(bound, limits);
        log.info("listening on {} ({}{})", bound, io.name(), ssl != null ? ", TLS" : "");
        return bound;
    }

    /** Stops listening on a bound address (as returned by {@link #addListener}); open connections stay. */
    public void removeListener(InetSocketAddress boundAddress) {
        Channel server = listeners.remove(boundAddress);
        listenerLimits.remove(boundAddress);
        if (server == null) {
            throw new IllegalArgumentException("no listener on " + boundAddress);
        }
        server.close().syncUninterruptibly();
    }

    /** The bound addresses of every listener. */
    public List<InetSocketAddress> listenerAddresses() {
        return List.copyOf(listeners.keySet());
    }

    /**
     * Connects to an address, reconnecting with back-off from the default interval
     * ({@link LinkOptions#reconnectInterval()}) when an attempt fails or the connection breaks.
     */
    public void addConnector(InetSocketAddress address) {
        addConnector(address, options.reconnectInterval(), null);
    }

    /** Connects over TLS ({@code ssl} null means plaintext). */
    public void addConnector(InetSocketAddress address, SslConfig ssl) {
        addConnector(address, options.reconnectInterval(), ssl);
    }

    /**
     * Connects to an address, and again after every failure or break: first after
     * {@code reconnectInterval}, then after jittered, doubling waits up to ten times that
     * ({@link ReconnectBackoff#startingAt}). Dialling starts when the link runs.
     */
    public void addConnector(InetSocketAddress address, Duration reconnectInterval, SslConfig ssl) {
        Objects.requireNonNull(reconnectInterval, "reconnectInterval");
        addConnector(address, ReconnectBackoff.startingAt(reconnectInterval), ssl);
    }

    /**
     * Connects to an address, and again after every failure or break, waiting as {@code backoff}
     * says ({@link ReconnectBackoff#fixed} for a constant interval). Dialling starts when the link runs.
     */
    public void addConnector(InetSocketAddress address, ReconnectBackoff backoff, SslConfig ssl) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(backoff, "backoff");
        checkNotClosed();
        Connector connector = new Connector(this, address, backoff, ssl);
        if (connectors.putIfAbsent(address, connector) != null) {
            throw new IllegalArgumentException("a connector to " + address + " exists already");
        }
        if (isRunning()) {
            execute(connector::connect);
        }
    }

    /** Removes a connector and closes its connection. */
    public void removeConnector(InetSocketAddress address) {
        Connector connector = connectors.remove(address);
        if (connector == null) {
            throw new IllegalArgumentException("no connector to " + address);
        }
        execute(connector::cancel);
    }

    // ---------------------------------------------------------------- running

    /** Runs the link and blocks until {@link #stop()} (or {@link #close()}) is called. */
    public void loop() {
        start();
        CountDownLatch latch;
        synchronized (stateLock) {
            latch = stopped;
        }
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
    }

    /** Runs the link in the background (on its loop thread) and returns at once. */
    public void start() {
        synchronized (stateLock) {
            if (state == State.CLOSED) {
                throw new IllegalStateException("link is closed");
            }
            if (state == State.RUNNING) {
                return;
            }
            state = State.RUNNING;
            stopped = new CountDownLatch(1);
        }
        long pollNanos = options.pollInterval().toNanos();
        pollTask = loop.scheduleAtFixedRate(this::firePass, pollNanos, pollNanos, TimeUnit.NANOSECONDS);
        execute(() -> connectors.values().forEach(Connector::connect));
        log.debug("link running");
    }

    /**
     * Stops the loop: connectors stop dialling and close their connections, accepted connections are
     * closed, {@link #loop()} returns. Listeners stay bound; {@link #start()} runs the link again.
     */
    public void stop() {
        synchronized (stateLock) {
            if (state != State.RUNNING) {
                return;
            }
            state = State.STOPPED;
        }
        if (pollTask != null) {
            pollTask.cancel(false);
        }
        runOnLoopAndWait(() -> {
            connectors.values().forEach(Connector::pause);
            new ArrayList<>(connections.values()).forEach(c -> c.channel().close());
        });
        synchronized (stateLock) {
            stopped.countDown();
        }
        log.debug("link stopped");
    }

    /** Whether {@link #loop()} or {@link #start()} runs the link now. */
    public boolean isRunning() {
        synchronized (stateLock) {
            return state == State.RUNNING;
        }
    }

    /** Makes the loop run a pass soon (fires the loop-pass callbacks). Thread-safe. */
    public void wakeup() {
        execute(this::firePass);
    }

    /** Stops the link and frees every socket and thread it owns. Idempotent. */
    @Override
    public void close() {
        synchronized (stateLock) {
            if (state == State.CLOSED) {
                return;
            }
        }
        // unbind first, so no peer reconnects into a link that is going away
        for (Channel server : listeners.values()) {
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        listeners.clear();
        stop();
        synchronized (stateLock) {
            state = State.CLOSED;
            stopped.countDown();
        }
        // a link that never ran still holds the connections its listeners accepted
        runOnLoopAndWait(() -> {
            connectors.values().forEach(Connector::pause);
            new ArrayList<>(connections.values()).forEach(c -> c.channel().close());
        });
        connectors.clear();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        log.debug("link closed");
    }

    // ---------------------------------------------------------------- Transport

    @Override
    public TransportCallbacks callbacks() {
        return callbacks;
    }

    @Override
    public void send(Connection connection, ByteBuf data, WriteListener listener) {
        Channel channel = connection.channel();
        if (listener == null) {
            channel.writeAndFlush(data, channel.voidPromise());
        } else {
            channel.writeAndFlush(data).addListener(f -> listener.onWritten(f.isSuccess()));
        }
    }

    @Override
    public boolean isWritable(Connection connection) {
        return connection.channel().isWritable();
    }

    @Override
    public void setReadPaused(Connection connection, boolean paused) {
        Channel channel = connection.channel();
        channel.config().setAutoRead(!paused);
    }

    @Override
    public void disconnect(Connection connection) {
        connection.channel().close();
    }

    @Override
    public ByteBufAllocator allocator() {
        return allocator;
    }

    @Override
    public void execute(Runnable task) {
        if (spin == null || loop.inEventLoop()) {
            // a task the loop gives itself is not traffic: only hand-offs from other threads end a gap
            loop.execute(task);
        } else {
            loop.execute(() -> {
                spin.noteWork();
                task.run();
            });
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean inLoop() {
        return loop.inEventLoop();
    }

    /** The open connection with this id, or {@code null}. */
    public Connection connection(long id) {
        return connections.get(id);
    }

    /** Every open connection. */
    public Collection<Connection> connections() {
        return List.copyOf(connections.values());
    }

    /**
     * Connections accepted by the listener on {@code boundAddress} and not closed yet, including those
     * still in their TLS handshake; 0 for an address without a listener.
     */
    public int acceptedConnections(InetSocketAddress boundAddress) {
        ListenerLimits limits = listenerLimits.get(boundAddress);
        return limits == null ? 0 : limits.open();
    }

    /**
     * Connections closed as soon as they were accepted because a listener had its
     * {@linkplain LinkOptions#maxConnections() maximum} open, in all or from that address, since the
     * link was made.
     */
    public long refusedConnections() {
        return refused.sum();
    }

    // ---------------------------------------------------------------- internals

    long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    EventLoopGroup group() {
        return group;
    }

    boolean acceptsConnections() {
        synchronized (stateLock) {
            return state == State.NEW || state == State.RUNNING;
        }
    }

    void connectionUp(Connection connection) {
        connections.put(connection.id(), connection);
        log.debug("{} connected", connection);
        callbacks.onConnect().fire(l -> l.on(connection));
    }

    void connectionDown(Connection connection) {
        if (connections.remove(connection.id()) != null) {
            log.debug("{} disconnected", connection);
            callbacks.onDisconnect().fire(l -> l.on(connection));
        }
    }

    void received(Connection connection, ByteBuf data) {
        if (spin != null) {
            spin.noteWork();
        }
        callbacks.onReceive().fire(l -> l.onReceive(connection, data));
    }

    void writable(Connection connection) {
        callbacks.onReadyToSend().fire(l -> l.on(connection));
    }

    Bootstrap connectorBootstrap() {
        return new Bootstrap()
                .group(group)
                .channel(io.socketChannelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, allocator)
                .option(ChannelOption.RCVBUF_ALLOCATOR, readBuffers())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(options.writeBufferLow(), options.writeBufferHigh()));
    }

    /**
     * Read buffers that adapt to the traffic, from 64 bytes up to {@value #MAX_READ_BYTES} (Netty's
     * default stops at 64 KiB). A busy connection then drains its socket in a quarter of the reads,
     * which roughly halves the kernel time per received byte on loopback; a quiet one keeps small
     * buffers. Each buffer is released as soon as its bytes are parsed.
     */
    private static RecvByteBufAllocator readBuffers() {
        return new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ_BYTES);
    }

    /** Loop thread: closes a connection over a listener's limit at once. */
    private void refuse(SocketChannel channel, String reason) {
        refused.increment();
        long skipped = refusalLines.tryAcquire();
        if (skipped >= 0) {
            log.warn("refused connection from {} on {}: {}{}", channel.remoteAddress(), channel.localAddress(), reason,
                    LogBudget.suffix(skipped));
        }
        try {
            channel.config().setOption(ChannelOption.SO_LINGER, 0); // reset: no TIME_WAIT kept for a refusal
        } catch (RuntimeException e) {
            // not supported here: a normal close
        }
        channel.close();
    }

    private void firePass() {
        callbacks.onLoopPass().fire(Runnable::run);
    }

    private void runOnLoopAndWait(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.submit(task).await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // loop already shut down
        }
    }

    private void checkNotClosed() {
        synchronized (stateLock) {
            if (state == State.CLOSED) {
                throw new IllegalStateException("link is closed");
            }
        }
    }
}
