package org.snakemq.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the snakeMQ peer, under {@code snakemq.*}.
 */
@ConfigurationProperties("snakemq")
public class SnakeMqProperties {

    /** Whether to run a snakeMQ peer in this application. */
    private boolean enabled = true;

    /** This peer's identity, announced to every peer it connects to (at most 50 characters). */
    private String identity;

    /** Routing domain; unused by the protocol, kept for compatibility with the original. */
    private String domain = "";

    /** Addresses to accept connections on. */
    private List<Listener> listeners = new ArrayList<>();

    /** Peers to connect to; each is dialled again after a failure or a break. */
    private List<Connector> connectors = new ArrayList<>();

    /** Link (TCP) settings. */
    private final Link link = new Link();

    /** Persistent outgoing queues. */
    private final Storage storage = new Storage();

    /** Keepalive: detect dead connections with PING/PONG. */
    private final Keepalive keepalive = new Keepalive();

    /** Bandwidth limit per connection. */
    private final Throttle throttle = new Throttle();

    /** Remote procedure calls. */
    private final Rpc rpc = new Rpc();

    /** Spring application events for received messages and peer changes. */
    private final Events events = new Events();

    /** Graceful shutdown. */
    private final Shutdown shutdown = new Shutdown();

    /** Micrometer meters. */
    private final Metrics metrics = new Metrics();

    /** Micrometer observations (traces and their timers). */
    private final Observation observation = new Observation();

    private final Tls tls = new Tls();

    /** What connecting peers must show and may hold. */
    private final Security security = new Security();

    /** How long a connection may take to identify itself before it is closed. */
    private Duration handshakeTimeout = Duration.ofSeconds(10);

    /** Whether to use acknowledged delivery with peers that support it (Java peers of this project). */
    private boolean acknowledgements = true;

    /** The largest packet accepted from a peer. */
    private DataSize maxPacketSize = DataSize.ofMegabytes(64);

    /**
     * How many delivered message ids are at least remembered per sending peer, to suppress the
     * copies a reconnect sends again.
     */
    private int duplicateMemory = 16_384;

    /**
     * The heap all sending peers' remembered ids may take together, about 48 bytes an id; when
     * duplicate-memory ids for every sending peer do not fit, each remembers its even share. Not set:
     * a quarter of the maximum heap.
     */
    private DataSize duplicateMemoryBudget;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getIdentity() {
        return identity;
    }

    public void setIdentity(String identity) {
        this.identity = identity;
    }

    public String getDomain() {
        return domain;
    }

    public void setDomain(String domain) {
        this.domain = domain;
    }

    public List<Listener> getListeners() {
        return listeners;
    }

    public void setListeners(List<Listener> listeners) {
        this.listeners = listeners;
    }

    public List<Connector> getConnectors() {
        return connectors;
    }

    public void setConnectors(List<Connector> connectors) {
        this.connectors = connectors;
    }

    public Link getLink() {
        return link;
    }

    public Storage getStorage() {
        return storage;
    }

    public Keepalive getKeepalive() {
        return keepalive;
    }

    public Throttle getThrottle() {
        return throttle;
    }

    public Rpc getRpc() {
        return rpc;
    }

    public Events getEvents() {
        return events;
    }

    public Shutdown getShutdown() {
        return shutdown;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Observation getObservation() {
        return observation;
    }

    public Tls getTls() {
        return tls;
    }

    public Security getSecurity() {
        return security;
    }

    public Duration getHandshakeTimeout() {
        return handshakeTimeout;
    }

    public void setHandshakeTimeout(Duration handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
    }

    public boolean isAcknowledgements() {
        return acknowledgements;
    }

    public void setAcknowledgements(boolean acknowledgements) {
        this.acknowledgements = acknowledgements;
    }

    public DataSize getMaxPacketSize() {
        return maxPacketSize;
    }

    public void setMaxPacketSize(DataSize maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    public int getDuplicateMemory() {
        return duplicateMemory;
    }

    public void setDuplicateMemory(int duplicateMemory) {
        this.duplicateMemory = duplicateMemory;
    }

    public DataSize getDuplicateMemoryBudget() {
        return duplicateMemoryBudget;
    }

    public void setDuplicateMemoryBudget(DataSize duplicateMemoryBudget) {
        this.duplicateMemoryBudget = duplicateMemoryBudget;
    }

    /** The identity, or a start-up failure that names {@code snakemq.identity}. */
    String requiredIdentity() {
        if (!StringUtils.hasText(identity)) {
            throw new InvalidConfigurationPropertyValueException("snakemq.identity", identity,
                    "A snakeMQ peer needs an identity: set snakemq.identity (or snakemq.enabled=false).");
        }
        if (identity.length() > 50) {
            throw new InvalidConfigurationPropertyValueException("snakemq.identity", identity,
                    "An identity has at most 50 characters.");
        }
        return identity;
    }

    /** Checks the listener and connector addresses; failures name the offending property. */
    void validateEndpoints() {
        for (int i = 0; i < listeners.size(); i++) {
            checkPort("snakemq.listeners[" + i + "].port", listeners.get(i).getPort(), 0);
        }
        for (int i = 0; i < connectors.size(); i++) {
            Connector connector = connectors.get(i);
            require(StringUtils.hasText(connector.getHost()), "snakemq.connectors[" + i + "].host",
                    connector.getHost(), "A connector needs the host of the peer to dial.");
            checkPort("snakemq.connectors[" + i + "].port", connector.getPort(), 1);
        }
    }

    /**
     * With {@code snakemq.tls.verify-identity}, every connection must carry a verified certificate:
     * failures name the listener or connector that would not.
     */
    void validateIdentityVerification() {
        if (!tls.isVerifyIdentity()) {
            return;
        }
        String why = " with snakemq.tls.verify-identity=true, where every peer must show a certificate"
                + " naming its identity";
        for (int i = 0; i < listeners.size(); i++) {
            Listener listener = listeners.get(i);
            String property = "snakemq.listeners[" + i + "].";
            require(StringUtils.hasText(listener.getSslBundle()), property + "ssl-bundle", listener.getSslBundle(),
                    "A listener needs TLS" + why + ".");
            require(listener.getClientAuth() == ClientAuth.NEED, property + "client-auth", listener.getClientAuth(),
                    "A listener needs client-auth: need" + why + ".");
        }
        for (int i = 0; i < connectors.size(); i++) {
            Connector connector = connectors.get(i);
            String property = "snakemq.connectors[" + i + "].";
            require(StringUtils.hasText(connector.getSslBundle()), property + "ssl-bundle", connector.getSslBundle(),
                    "A connector needs TLS" + why + ".");
            require(connector.isVerifyPeer(), property + "verify-peer", false,
                    "A connector must verify the peer's certificate" + why + ".");
        }
    }

    /**
     * Checks {@code snakemq.security.*}: {@code require-verified-identity} needs
     * {@code snakemq.tls.verify-identity}.
     */
    void validateSecurity() {
        require(security.getMaxUnidentifiedConnections() >= 1, "snakemq.security.max-unidentified-connections",
                security.getMaxUnidentifiedConnections(), "Must be at least 1.");
        require(!security.isRequireVerifiedIdentity() || tls.isVerifyIdentity(),
                "snakemq.security.require-verified-identity", true,
                "snakemq.security.require-verified-identity=true needs snakemq.tls.verify-identity=true, which"
                        + " binds identities to certificates; without it every peer would be refused.");
    }

    private static void checkPort(String property, Integer port, int min) {
        require(port != null, property, null, "A port is required.");
        require(port >= min && port <= 65535, property, port, "A port must be between " + min + " and 65535.");
    }

    /** Fails with Boot's error for an invalid property value, which names the property, unless {@code valid}. */
    private static void require(boolean valid, String property, Object value, String reason) {
        if (!valid) {
            throw new InvalidConfigurationPropertyValueException(property, value, reason);
        }
    }

    /** One address to listen on. */
    public static class Listener {

        /** Interface to listen on; all interfaces when not set. */
        private String host;

        /** Port to listen on; 0 picks a free port. */
        private Integer port;

        /** Name of a Spring Boot SSL bundle (spring.ssl.bundle.*) to accept TLS connections with. */
        private String sslBundle;

        /** Whether connecting peers are asked for a certificate, and whether they must present one. */
        private ClientAuth clientAuth = ClientAuth.NONE;

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public Integer getPort() {
            return port;
        }

        public void setPort(Integer port) {
            this.port = port;
        }

        public String getSslBundle() {
            return sslBundle;
        }

        public void setSslBundle(String sslBundle) {
            this.sslBundle = sslBundle;
        }

        public ClientAuth getClientAuth() {
            return clientAuth;
        }

        public void setClientAuth(ClientAuth clientAuth) {
            this.clientAuth = clientAuth;
        }
    }

    /** Client certificate policy of a TLS listener. */
    public enum ClientAuth {
        /** Do not ask connecting peers for a certificate. */
        NONE,
        /** Ask for a certificate and check it against the bundle's trust material when one is sent. */
        WANT,
        /** Require a certificate that the bundle's trust material accepts. */
        NEED
    }

    /** One peer to dial. */
    public static class Connector {

        /** Host name or address of the peer. */
        private String host;

        /** Port the peer listens on. */
        private Integer port;

        /**
         * First wait before dialling again after a failure or a break; snakemq.link.reconnect-interval
         * when not set. Later waits grow as the snakemq.link.reconnect-* settings say.
         */
        private Duration reconnectInterval;

        /** Name of a Spring Boot SSL bundle (spring.ssl.bundle.*) to connect over TLS with. */
        private String sslBundle;

        /**
         * Whether the peer's certificate must be trusted by the bundle's trust material (or the JDK's
         * when the bundle has none). Turning it off encrypts without checking who answers.
         */
        private boolean verifyPeer = true;

        /** Whether the peer's certificate must name the host dialled. */
        private boolean hostnameVerification = false;

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public Integer getPort() {
            return port;
        }

        public void setPort(Integer port) {
            this.port = port;
        }

        public Duration getReconnectInterval() {
            return reconnectInterval;
        }

        public void setReconnectInterval(Duration reconnectInterval) {
            this.reconnectInterval = reconnectInterval;
        }

        public String getSslBundle() {
            return sslBundle;
        }

        public void setSslBundle(String sslBundle) {
            this.sslBundle = sslBundle;
        }

        public boolean isVerifyPeer() {
            return verifyPeer;
        }

        public void setVerifyPeer(boolean verifyPeer) {
            this.verifyPeer = verifyPeer;
        }

        public boolean isHostnameVerification() {
            return hostnameVerification;
        }

        public void setHostnameVerification(boolean hostnameVerification) {
            this.hostnameVerification = hostnameVerification;
        }
    }

    /** Link (TCP) settings. */
    public static class Link {

        /**
         * Default first wait before a connector dials again after a failure or a break; each further
         * failure multiplies the wait by reconnect-multiplier, up to reconnect-max-interval.
         */
        private Duration reconnectInterval = Duration.ofSeconds(3);

        /**
         * Longest wait of a connector between attempts; ten times its first wait
         * (reconnect-interval) when not set.
         */
        private Duration reconnectMaxInterval;

        /** How much each further failed attempt lengthens a connector's wait; 1 keeps it fixed. */
        private double reconnectMultiplier = 2.0;

        /**
         * Random lengthening of each wait, as a fraction of it (0 to 1), so that peers that lost the
         * same listener do not all dial again at once; 0 turns it off.
         */
        private double reconnectJitter = 0.2;

        /** How long one connection attempt may take. */
        private Duration connectTimeout = Duration.ofSeconds(10);

        /**
         * Longest idle polling of the loop thread before it blocks; it adapts to the traffic and
         * trades CPU time for latency. 0 turns it off.
         */
        private Duration spinLimit = Duration.ofNanos(500_000);

        /**
         * Whether to use Netty's epoll transport when netty-transport-native-epoll is on the class path
         * and its native library loads (Linux); false always uses Java NIO.
         */
        private boolean nativeTransport = true;

        public Duration getReconnectInterval() {
            return reconnectInterval;
        }

        public void setReconnectInterval(Duration reconnectInterval) {
            this.reconnectInterval = reconnectInterval;
        }

        public Duration getReconnectMaxInterval() {
            return reconnectMaxInterval;
        }

        public void setReconnectMaxInterval(Duration reconnectMaxInterval) {
            this.reconnectMaxInterval = reconnectMaxInterval;
        }

        public double getReconnectMultiplier() {
            return reconnectMultiplier;
        }

        public void setReconnectMultiplier(double reconnectMultiplier) {
            this.reconnectMultiplier = reconnectMultiplier;
        }

        public double getReconnectJitter() {
            return reconnectJitter;
        }

        public void setReconnectJitter(double reconnectJitter) {
            this.reconnectJitter = reconnectJitter;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getSpinLimit() {
            return spinLimit;
        }

        public void setSpinLimit(Duration spinLimit) {
            this.spinLimit = spinLimit;
        }

        public boolean isNativeTransport() {
            return nativeTransport;
        }

        public void setNativeTransport(boolean nativeTransport) {
            this.nativeTransport = nativeTransport;
        }

        /**
         * Most connections one listener holds open at once, counted from accept (before TLS and
         * identification); one beyond is closed at once.
         */
        private int maxConnections = 10_000;

        /** Most connections one listener holds open at once from one remote IP address. */
        private int maxConnectionsPerAddress = 1_000;

        public int getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
        }

        public int getMaxConnectionsPerAddress() {
            return maxConnectionsPerAddress;
        }

        public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
            this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        }
    }

    /** Where persistent messages are kept until delivered. */
    public enum StorageType {
        /** No persistent queues: persistent messages are queued in memory like the others. */
        NONE,
        /** Persistent queues in memory: the persistent code path, lost on restart. */
        MEMORY,
        /** Persistent queues in a SQLite file (snakemq.storage.path), compatible with Python snakeMQ. */
        SQLITE,
        /** Persistent queues in a table of the application's DataSource. */
        JDBC
    }

    /** Persistent outgoing queues. */
    public static class Storage {

        /** Where persistent messages are kept. */
        private StorageType type = StorageType.NONE;

        /** SQLite file of the queues, for type sqlite. */
        private Path path = Path.of("snakemq.db");

        /** Table of the queues, for type jdbc; each peer needs its own. */
        private String table = "snakemq_items";

        public StorageType getType() {
            return type;
        }

        public void setType(StorageType type) {
            this.type = type;
        }

        public Path getPath() {
            return path;
        }

        public void setPath(Path path) {
            this.path = path;
        }

        public String getTable() {
            return table;
        }

        public void setTable(String table) {
            this.table = table;
        }
    }

    /** Keepalive settings. */
    public static class Keepalive {

        /** Send a PING after this long without receiving anything; keepalive is off when not set. */
        private Duration interval;

        /** Close the connection when nothing arrives this long after a PING. */
        private Duration wait = Duration.ofSeconds(5);

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getWait() {
            return wait;
        }

        public void setWait(Duration wait) {
            this.wait = wait;
        }
    }

    /** Bandwidth limit. */
    public static class Throttle {

        /** Bytes per second per connection and direction; no limit when not set. */
        private DataSize bytesPerSecond;

        public DataSize getBytesPerSecond() {
            return bytesPerSecond;
        }

        public void setBytesPerSecond(DataSize bytesPerSecond) {
            this.bytesPerSecond = bytesPerSecond;
        }
    }

    /** RPC settings. */
    public static class Rpc {

        /** Whether to create the RPC server and client. */
        private boolean enabled = true;

        /** How long a call waits for its reply; calls wait without limit when not set. */
        private Duration callTimeout;

        /** Whether exceptions thrown by served methods are sent to the caller. */
        private boolean transferExceptions = true;

        /** Threads of served methods. */
        private final RpcExecutor executor = new RpcExecutor();

        public RpcExecutor getExecutor() {
            return executor;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getCallTimeout() {
            return callTimeout;
        }

        public void setCallTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
        }

        public boolean isTransferExceptions() {
            return transferExceptions;
        }

        public void setTransferExceptions(boolean transferExceptions) {
            this.transferExceptions = transferExceptions;
        }

        /**
         * Most calls and signals one peer may have queued or running at once; more are answered at
         * once with a busy error (ServerBusyException), so one peer cannot take every RPC thread.
         */
        private int maxCallsPerPeer = 16;

        public int getMaxCallsPerPeer() {
            return maxCallsPerPeer;
        }

        public void setMaxCallsPerPeer(int maxCallsPerPeer) {
            this.maxCallsPerPeer = maxCallsPerPeer;
        }
    }

    /**
     * The threads that run served RPC methods ({@code snakemq-rpc-*}). They come from Spring Boot's
     * task executor builders: a pool of platform threads, or a virtual thread per call when
     * {@code spring.threads.virtual.enabled=true} (Java 21+); the application's TaskDecorator beans
     * apply either way.
     */
    public static class RpcExecutor {

        /** Platform threads running served methods at most; calls beyond them wait in the queue. */
        private int poolSize = 32;

        /**
         * Calls waiting for a platform thread at most; further requests are answered with an "RPC
         * server busy" error.
         */
        private int queueCapacity = 10_000;

        /** How long an idle platform thread of the pool is kept. */
        private Duration keepAlive = Duration.ofSeconds(60);

        /**
         * Served methods running at once on virtual threads at most; further requests are answered
         * with an "RPC server busy" error.
         */
        private int virtualConcurrencyLimit = 10_000;

        public int getPoolSize() {
            return poolSize;
        }

        public void setPoolSize(int poolSize) {
            this.poolSize = poolSize;
        }

        public int getQueueCapacity() {
            return queueCapacity;
        }

        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        public Duration getKeepAlive() {
            return keepAlive;
        }

        public void setKeepAlive(Duration keepAlive) {
            this.keepAlive = keepAlive;
        }

        public int getVirtualConcurrencyLimit() {
            return virtualConcurrencyLimit;
        }

        public void setVirtualConcurrencyLimit(int virtualConcurrencyLimit) {
            this.virtualConcurrencyLimit = virtualConcurrencyLimit;
        }
    }

    /** Application events. */
    public static class Events {

        /** Whether to publish received messages and peer changes as Spring application events. */
        private boolean enabled = true;

        /**
         * Whether listeners of peer changes and dropped messages (and of received messages when
         * snakemq.delivery.enabled=false) run on an executor instead of the link's loop thread: the
         * bean named snakemqEventExecutor, or one thread owned by the starter (a virtual one with
         * spring.threads.virtual.enabled=true; events stay in order). With delivery on, received
         * messages are published on snakemq-handler-* threads and acknowledged once handled.
         */
        private boolean async = false;

        /**
         * Whether RPC requests and replies (data starting with rpcreq or rpcrep) are published as
         * received messages too.
         */
        private boolean includeRpc = false;

        public boolean isIncludeRpc() {
            return includeRpc;
        }

        public void setIncludeRpc(boolean includeRpc) {
            this.includeRpc = includeRpc;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isAsync() {
            return async;
        }

        public void setAsync(boolean async) {
            this.async = async;
        }
    }

    /** Graceful shutdown. */
    public static class Shutdown {

        /**
         * How long stopping waits for running RPC calls and for queued messages to reach connected
         * peers before the connections are closed.
         */
        private Duration gracePeriod = Duration.ofSeconds(5);

        public Duration getGracePeriod() {
            return gracePeriod;
        }

        public void setGracePeriod(Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
        }
    }

    /** TLS settings that hold for every listener and connector. */
    public static class Tls {

        /**
         * Whether a peer may only announce an identity its TLS certificate names (subject CN or a DNS
         * subject-alternative name). Needs client-auth need on every listener and an ssl-bundle with
         * verify-peer on every connector.
         */
        private boolean verifyIdentity = false;

        public boolean isVerifyIdentity() {
            return verifyIdentity;
        }

        public void setVerifyIdentity(boolean verifyIdentity) {
            this.verifyIdentity = verifyIdentity;
        }
    }

    /** What connecting peers must show and may hold. */
    public static class Security {

        /**
         * Whether every identification must be bound to a verified certificate: plaintext peers,
         * peers without a certificate naming their identity, and a peer taking over a connected
         * identity with another certificate key are refused. Needs snakemq.tls.verify-identity=true.
         */
        private boolean requireVerifiedIdentity = false;

        /**
         * Most accepted connections open at once that have not identified themselves yet; one
         * beyond is closed at once.
         */
        private int maxUnidentifiedConnections = 1_000;

        public int getMaxUnidentifiedConnections() {
            return maxUnidentifiedConnections;
        }

        public void setMaxUnidentifiedConnections(int maxUnidentifiedConnections) {
            this.maxUnidentifiedConnections = maxUnidentifiedConnections;
        }

        public boolean isRequireVerifiedIdentity() {
            return requireVerifiedIdentity;
        }

        public void setRequireVerifiedIdentity(boolean requireVerifiedIdentity) {
            this.requireVerifiedIdentity = requireVerifiedIdentity;
        }
    }

    /** Meters. */
    public static class Metrics {

        /**
         * Most peers that get their own queue-depth gauge (tag peer); the queues of the others are
         * summed under peer=other.
         */
        private int maxPeerTags = 20;

        public int getMaxPeerTags() {
            return maxPeerTags;
        }

        public void setMaxPeerTags(int maxPeerTags) {
            this.maxPeerTags = maxPeerTags;
        }
    }

    public static class Observation {

        /**
         * Whether sends, listener attempts and RPC calls are observed (and traced, with Micrometer
         * Tracing) through the application's ObservationRegistry. Off by default, as Spring Boot's
         * Kafka and RabbitMQ observations are.
         */
        private boolean enabled;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
