package org.snakemq.autoconfigure;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

import org.snakemq.autoconfigure.lifecycle.GracefulStop;
import org.snakemq.autoconfigure.rpc.RpcInterceptors;
import org.snakemq.autoconfigure.rpc.RpcWorkers;
import org.snakemq.autoconfigure.rpc.SnakeRpcClientsRegistrar;
import org.snakemq.autoconfigure.rpc.SnakeRpcServiceRegistrar;
import org.snakemq.link.Link;
import org.snakemq.link.LinkOptions;
import org.snakemq.link.ReconnectBackoff;
import org.snakemq.link.Transport;
import org.snakemq.messaging.CertificateIdentityVerifier;
import org.snakemq.messaging.IdentityVerifier;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.MessagingOptions;
import org.snakemq.messaging.ReceiveHook;
import org.snakemq.packeter.Packeter;
import org.snakemq.rpc.RpcClient;
import org.snakemq.rpc.RpcClientInterceptor;
import org.snakemq.rpc.RpcServer;
import org.snakemq.rpc.RpcServerInterceptor;
import org.snakemq.spring.metrics.CountingTransport;
import org.snakemq.spring.metrics.TrafficCounter;
import org.snakemq.storage.JdbcQueuesStorage;
import org.snakemq.storage.MemoryQueuesStorage;
import org.snakemq.storage.QueuesStorage;
import org.snakemq.storage.SqliteQueuesStorage;
import org.snakemq.storage.StorageException;
import org.snakemq.throttle.Throttle;

/**
 * Auto-configuration of a snakeMQ peer: {@link Link}, {@link Packeter}, {@link Messaging},
 * {@link ReceiveHook}, persistent storage, the lifecycle that runs the link with the context, and
 * application events. Every bean backs off when the application defines its own; everything is off
 * with {@code snakemq.enabled=false}.
 */
@AutoConfiguration(after = {SslAutoConfiguration.class, TaskExecutionAutoConfiguration.class},
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "snakemq.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SnakeMqProperties.class)
public final class SnakeMqAutoConfiguration {

    /** The bean name of the delivery listener container, which publishes received messages itself. */
    public static final String LISTENER_CONTAINER_BEAN = "snakeListenerContainer";

    @Bean
    @ConditionalOnMissingBean
    Link snakeMqLink(SnakeMqProperties properties) {
        SnakeMqProperties.Link link = properties.getLink();
        LinkOptions options = LinkOptions.defaults()
                .withReconnectInterval(positive("snakemq.link.reconnect-interval", link.getReconnectInterval()))
                .withConnectTimeout(positive("snakemq.link.connect-timeout", link.getConnectTimeout()))
                .withNativeTransport(link.isNativeTransport());
        Duration spinLimit = link.getSpinLimit();
        try {
            // LinkOptions owns the allowed range; report its refusal under the property's name
            options = options.withSpinLimit(Objects.requireNonNull(spinLimit, "spinLimit must be set"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidConfigurationPropertyValueException("snakemq.link.spin-limit", spinLimit,
                    e.getMessage() + " (0 turns idle polling off)");
        }
        for (String property : List.of("max-connections", "max-connections-per-address")) {
            int value = property.equals("max-connections") ? link.getMaxConnections() : link.getMaxConnectionsPerAddress();
            if (value < 1) {
                throw new InvalidConfigurationPropertyValueException("snakemq.link." + property, value,
                        "Must be at least 1.");
            }
        }
        options = options.withMaxConnections(link.getMaxConnections(), link.getMaxConnectionsPerAddress());
        backoff(link, options.reconnectInterval(), "snakemq.link.reconnect-interval"); // fails early on a bad setting
        return new Link(options);
    }

    @Bean
    @ConditionalOnMissingBean
    TrafficCounter snakeMqTrafficCounter() {
        return new TrafficCounter();
    }

    @Bean
    @ConditionalOnMissingBean
    Packeter snakeMqPacketer(Link link, TrafficCounter trafficCounter, SnakeMqProperties properties) {
        Transport transport = new CountingTransport(link, trafficCounter);
        DataSize bytesPerSecond = properties.getThrottle().getBytesPerSecond();
        if (bytesPerSecond != null) {
            if (bytesPerSecond.toBytes() <= 0) {
                throw new InvalidConfigurationPropertyValueException("snakemq.throttle.bytes-per-second",
                        bytesPerSecond, "Must be positive; leave it unset for no limit.");
            }
            transport = new Throttle(transport, bytesPerSecond.toBytes());
        }
        long maxPacket = properties.getMaxPacketSize().toBytes();
        if (maxPacket <= 0 || maxPacket > Integer.MAX_VALUE) {
            throw new InvalidConfigurationPropertyValueException("snakemq.max-packet-size",
                    properties.getMaxPacketSize(), "Must be between 1 byte and 2 GB.");
        }
        return new Packeter(transport, (int) maxPacket);
    }

    @Bean
    @ConditionalOnMissingBean
    Messaging snakeMqMessaging(SnakeMqProperties properties, Packeter packeter,
                               ObjectProvider<QueuesStorage> storage,
                               ObjectProvider<IdentityVerifier> identityVerifier) {
        String identity = properties.requiredIdentity();
        properties.validateSecurity();
        SnakeMqProperties.Keepalive keepalive = properties.getKeepalive();
        Duration interval = keepalive.getInterval();
        if (interval != null) {
            positive("snakemq.keepalive.interval", interval);
        }
        MessagingOptions options = MessagingOptions.defaults()
                .withKeepalive(interval, positive("snakemq.keepalive.wait", keepalive.getWait()))
                .withHandshakeTimeout(positive("snakemq.handshake-timeout", properties.getHandshakeTimeout()))
                .withAcknowledgements(properties.isAcknowledgements())
                .withRequireVerifiedIdentity(properties.getSecurity().isRequireVerifiedIdentity())
                .withMaxUnidentified(properties.getSecurity().getMaxUnidentifiedConnections())
                .withDuplicateMemoryBudget(duplicateMemoryBudget(properties));
        options = withDuplicateMemory(options, properties.getDuplicateMemory());
        Messaging messaging = new Messaging(identity, properties.getDomain(), packeter, storage.getIfAvailable(),
                options);
        IdentityVerifier verifier = identityVerifier.getIfUnique();
        if (verifier != null) {
            messaging.setIdentityVerifier(verifier);
        }
        return messaging;
    }

    /** Identities bound to certificates ({@code snakemq.tls.verify-identity=true}). */
    @Bean
    @ConditionalOnMissingBean(IdentityVerifier.class)
    @ConditionalOnBooleanProperty("snakemq.tls.verify-identity")
    CertificateIdentityVerifier snakeMqIdentityVerifier(SnakeMqProperties properties) {
        properties.validateIdentityVerification();
        return new CertificateIdentityVerifier();
    }

    @Bean
    @ConditionalOnMissingBean
    ReceiveHook snakeMqReceiveHook(Messaging messaging) {
        return new ReceiveHook(messaging);
    }

    @Bean
    @ConditionalOnMissingBean
    SnakeMqLifecycle snakeMqLifecycle(Link link, Messaging messaging, SnakeMqProperties properties,
                                      ObjectProvider<SslBundles> sslBundles,
                                      ObjectProvider<GracefulStop> gracefulSteps) {
        properties.validateEndpoints();
        SslBundleSslConfigs ssl = new SslBundleSslConfigs(sslBundles.getIfAvailable());
        List<SnakeMqLifecycle.Endpoint> listeners = new ArrayList<>();
        for (int i = 0; i < properties.getListeners().size(); i++) {
            SnakeMqProperties.Listener listener = properties.getListeners().get(i);
            InetSocketAddress address = listener.getHost() == null || listener.getHost().isBlank()
                    ? new InetSocketAddress(listener.getPort())
                    : new InetSocketAddress(listener.getHost().trim(), listener.getPort());
            listeners.add(new SnakeMqLifecycle.Endpoint("snakemq.listeners[" + i + "]", address,
                    ssl.forListener(i, listener), null));
        }
        List<SnakeMqLifecycle.Endpoint> connectors = new ArrayList<>();
        for (int i = 0; i < properties.getConnectors().size(); i++) {
            SnakeMqProperties.Connector connector = properties.getConnectors().get(i);
            String intervalProperty = connector.getReconnectInterval() != null
                    ? "snakemq.connectors[" + i + "].reconnect-interval" : "snakemq.link.reconnect-interval";
            Duration first = connector.getReconnectInterval() != null
                    ? positive(intervalProperty, connector.getReconnectInterval())
                    : link.options().reconnectInterval();
            ReconnectBackoff reconnect = backoff(properties.getLink(), first, intervalProperty);
            InetSocketAddress address = InetSocketAddress.createUnresolved(connector.getHost().trim(),
                    connector.getPort());
            connectors.add(new SnakeMqLifecycle.Endpoint("snakemq.connectors[" + i + "]", address,
                    ssl.forConnector(i, connector), reconnect));
        }
        Duration grace = properties.getShutdown().getGracePeriod();
        if (grace != null && grace.isNegative()) {
            throw new InvalidConfigurationPropertyValueException("snakemq.shutdown.grace-period", grace,
                    "Must not be negative.");
        }
        return new SnakeMqLifecycle(link, messaging, listeners, connectors, grace,
                gracefulSteps.orderedStream().toList());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "snakemq.storage.type", havingValue = "memory")
    static class MemoryStorageConfiguration {

        @Bean
        @ConditionalOnMissingBean
        QueuesStorage snakeMqQueuesStorage() {
            return new MemoryQueuesStorage();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "snakemq.storage.type", havingValue = "sqlite")
    static class SqliteStorageConfiguration {

        @Bean
        @ConditionalOnMissingBean
        QueuesStorage snakeMqQueuesStorage(SnakeMqProperties properties) {
            Path path = properties.getStorage().getPath();
            if (path == null || path.toString().isBlank()) {
                throw new InvalidConfigurationPropertyValueException("snakemq.storage.path", path,
                        "SQLite storage needs a file.");
            }
            try {
                // shared: the delivery store and transactional listeners use the same file
                return new SqliteQueuesStorage(path, SqliteQueuesStorage.Durability.PROCESS_CRASH,
                        SqliteQueuesStorage.Access.SHARED);
            } catch (StorageException e) {
                throw new InvalidConfigurationPropertyValueException("snakemq.storage.path", path,
                        "Cannot open the SQLite storage: " + e.getMessage());
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "snakemq.storage.type", havingValue = "jdbc")
    static class JdbcStorageConfiguration {

        @Bean
        @ConditionalOnMissingBean
        QueuesStorage snakeMqQueuesStorage(ObjectProvider<DataSource> dataSource, SnakeMqProperties properties) {
            DataSource source = dataSource.getIfUnique();
            if (source == null) {
                throw new InvalidConfigurationPropertyValueException("snakemq.storage.type", "jdbc",
                        "JDBC storage needs exactly one DataSource bean (for example from spring.datasource.*).");
            }
            try {
                return new JdbcQueuesStorage(source, properties.getStorage().getTable());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException("snakemq.storage.table",
                        properties.getStorage().getTable(), e.getMessage());
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "snakemq.rpc.enabled", matchIfMissing = true)
    static class RpcConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RpcWorkers snakeMqRpcWorkers(SnakeMqProperties properties, Environment environment,
                                     ListableBeanFactory beanFactory) {
            return new SnakeMqTaskExecutors(environment, beanFactory).rpcWorkers(properties.getRpc().getExecutor());
        }

        @Bean
        @ConditionalOnMissingBean
        RpcServer snakeMqRpcServer(ReceiveHook hook, RpcWorkers workers, SnakeMqProperties properties,
                                   ObjectProvider<RpcServerInterceptor> interceptors) {
            RpcServer server = new RpcServer(hook, workers.executor());
            server.setInterceptor(RpcInterceptors.server(interceptors.orderedStream().toList()));
            server.setTransferExceptions(properties.getRpc().isTransferExceptions());
            int maxCallsPerPeer = properties.getRpc().getMaxCallsPerPeer();
            if (maxCallsPerPeer < 1) {
                throw new InvalidConfigurationPropertyValueException("snakemq.rpc.max-calls-per-peer", maxCallsPerPeer,
                        "Must be at least 1.");
            }
            server.setMaxCallsPerPeer(maxCallsPerPeer);
            return server;
        }

        @Bean
        @ConditionalOnMissingBean
        RpcClient snakeMqRpcClient(ReceiveHook hook, RpcWorkers workers, SnakeMqProperties properties,
                                   ObjectProvider<RpcClientInterceptor> interceptors) {
            RpcClient client = new RpcClient(hook, workers.callbackExecutor());
            client.setInterceptor(RpcInterceptors.client(interceptors.orderedStream().toList()));
            Duration timeout = properties.getRpc().getCallTimeout();
            if (timeout != null) {
                client.setDefaultTimeout(positive("snakemq.rpc.call-timeout", timeout));
            }
            return client;
        }

        @Bean
        @ConditionalOnMissingBean
        SnakeRpcServiceRegistrar snakeRpcServiceRegistrar(ListableBeanFactory beanFactory, RpcServer server,
                                                          Environment environment) {
            return new SnakeRpcServiceRegistrar(beanFactory, server, environment);
        }

        @Bean
        static SnakeRpcClientsRegistrar snakeRpcClientsRegistrar() {
            return new SnakeRpcClientsRegistrar();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "snakemq.events.enabled", matchIfMissing = true)
    static class EventsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        SnakeMqEventPublisher snakeMqEventPublisher(Messaging messaging, ApplicationEventPublisher publisher,
                                                    SnakeMqProperties properties,
                                                    ListableBeanFactory beanFactory,
                                                    @Qualifier("snakemqEventExecutor") ObjectProvider<Executor> executor,
                                                    Environment environment) {
            SnakeMqProperties.Events events = properties.getEvents();
            // with the delivery listener container (SnakeMqDeliveryAutoConfiguration), it publishes
            // received messages; asked by bean name so that this package does not depend on that one
            BooleanSupplier received = () -> !beanFactory.containsBean(LISTENER_CONTAINER_BEAN);
            if (!events.isAsync()) {
                return new SnakeMqEventPublisher(messaging, publisher, null, false, events.isIncludeRpc(), received);
            }
            Executor userExecutor = executor.getIfAvailable();
            if (userExecutor != null) {
                return new SnakeMqEventPublisher(messaging, publisher, userExecutor, false, events.isIncludeRpc(),
                        received);
            }
            ExecutorService own = new SnakeMqTaskExecutors(environment, beanFactory).events();
            return new SnakeMqEventPublisher(messaging, publisher, own, true, events.isIncludeRpc(), received);
        }
    }

    /**
     * A connector's back-off from its first wait and the snakemq.link.reconnect-* settings; a refusal
     * of {@link ReconnectBackoff} names the property.
     */
    static ReconnectBackoff backoff(SnakeMqProperties.Link link, Duration first, String intervalProperty) {
        ReconnectBackoff backoff = ReconnectBackoff.startingAt(first);
        Duration max = link.getReconnectMaxInterval();
        if (max != null) {
            positive("snakemq.link.reconnect-max-interval", max);
            if (max.compareTo(first) < 0) {
                throw new InvalidConfigurationPropertyValueException("snakemq.link.reconnect-max-interval", max,
                        "Must not be shorter than the first wait, " + intervalProperty + " (" + first + ").");
            }
            backoff = backoff.withMax(max);
        }
        try {
            backoff = backoff.withMultiplier(link.getReconnectMultiplier());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException("snakemq.link.reconnect-multiplier",
                    link.getReconnectMultiplier(), "Must be at least 1 (1 keeps the wait fixed).");
        }
        try {
            return backoff.withJitter(link.getReconnectJitter());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException("snakemq.link.reconnect-jitter",
                    link.getReconnectJitter(), "Must be between 0 and 1 (0 turns it off).");
        }
    }

    /** The core checks the range; its refusal names the property. */
    private static MessagingOptions withDuplicateMemory(MessagingOptions options, int ids) {
        try {
            return options.withDuplicateMemory(ids);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException("snakemq.duplicate-memory", ids, e.getMessage());
        }
    }

    /** 0 (the core's default: a quarter of the heap) when the property is not set. */
    private static long duplicateMemoryBudget(SnakeMqProperties properties) {
        DataSize budget = properties.getDuplicateMemoryBudget();
        if (budget == null) {
            return 0;
        }
        if (budget.toBytes() <= 0) {
            throw new InvalidConfigurationPropertyValueException("snakemq.duplicate-memory-budget", budget,
                    "Must be positive; leave it unset for a quarter of the heap.");
        }
        return budget.toBytes();
    }

    static Duration positive(String property, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidConfigurationPropertyValueException(property, value, "Must be a positive duration.");
        }
        return value;
    }
}
