package org.snakemq.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.StringUtils;

import org.snakemq.link.SslConfig;

/**
 * Turns Spring Boot SSL bundles into snakeMQ {@link SslConfig}s for listeners and connectors. An
 * empty bundle name means plaintext. The configs follow the bundles' reloads: a bundle with
 * {@code reload-on-update} that Spring Boot reloads is used by every connection made afterwards.
 */
final class SslBundleSslConfigs {

    private final SslBundles bundles;
    private final Map<String, ReloadableSslManagers> reloadable = new HashMap<>();

    /** @param bundles the application's bundles, or null when SSL bundles are not configured at all */
    SslBundleSslConfigs(SslBundles bundles) {
        this.bundles = bundles;
    }

    /** The TLS config of {@code snakemq.listeners[index]}, or null for plaintext. */
    SslConfig forListener(int index, SnakeMqProperties.Listener listener) {
        String property = "snakemq.listeners[" + index + "].ssl-bundle";
        SslBundle bundle = bundle(property, listener.getSslBundle());
        if (bundle == null) {
            return null;
        }
        if (!hasKeyStore(bundle)) {
            throw new InvalidConfigurationPropertyValueException(property, listener.getSslBundle(),
                    "A TLS listener needs a bundle with a key store (own key and certificate).");
        }
        ReloadableSslManagers managers = managers(listener.getSslBundle(), bundle);
        SslConfig.Builder builder = SslConfig.builder().keyManager(managers.keyManagerFactory());
        SnakeMqProperties.ClientAuth clientAuth = listener.getClientAuth();
        if (clientAuth != SnakeMqProperties.ClientAuth.NONE) {
            builder.trustManager(managers.trustManagerFactory());
        }
        builder.peerCertificateRequired(clientAuth == SnakeMqProperties.ClientAuth.NEED);
        return build(property, listener.getSslBundle(), builder, bundle.getOptions());
    }

    /** The TLS config of {@code snakemq.connectors[index]}, or null for plaintext. */
    SslConfig forConnector(int index, SnakeMqProperties.Connector connector) {
        String property = "snakemq.connectors[" + index + "].ssl-bundle";
        SslBundle bundle = bundle(property, connector.getSslBundle());
        if (bundle == null) {
            return null;
        }
        ReloadableSslManagers managers = managers(connector.getSslBundle(), bundle);
        SslConfig.Builder builder = SslConfig.builder()
                .peerCertificateRequired(connector.isVerifyPeer())
                .hostnameVerification(connector.isHostnameVerification());
        KeyManagerFactory keys = managers.keyManagerFactory();
        if (keys != null) {
            builder.keyManager(keys); // client certificate for listeners that ask
        }
        TrustManagerFactory trust = managers.trustManagerFactory();
        if (trust != null) {
            builder.trustManager(trust);
        }
        return build(property, connector.getSslBundle(), builder, bundle.getOptions());
    }

    private SslBundle bundle(String property, String name) {
        if (!StringUtils.hasText(name)) {
            return null;
        }
        if (bundles == null) {
            throw new InvalidConfigurationPropertyValueException(property, name,
                    "No SSL bundles are configured; define spring.ssl.bundle.*." + name + ".");
        }
        try {
            return bundles.getBundle(name.trim());
        } catch (NoSuchSslBundleException e) {
            throw new InvalidConfigurationPropertyValueException(property, name,
                    "No SSL bundle named '" + name + "'; define it under spring.ssl.bundle.");
        }
    }

    /**
     * The bundle's managers, shared by every listener and connector that names it, following the
     * bundle's reloads ({@code reload-on-update}) for the connections made after them.
     */
    private ReloadableSslManagers managers(String name, SslBundle bundle) {
        return reloadable.computeIfAbsent(name.trim(), key -> {
            SslManagerBundle managers = bundle.getManagers();
            ReloadableSslManagers result = new ReloadableSslManagers(key, managers, hasKeyStore(bundle),
                    trust(managers));
            bundles.addBundleUpdateHandler(key, result::update);
            return result;
        });
    }

    private static boolean hasKeyStore(SslBundle bundle) {
        return bundle.getStores() != null && bundle.getStores().getKeyStore() != null;
    }

    private static TrustManagerFactory trust(SslManagerBundle managers) {
        try {
            return managers.getTrustManagerFactory();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static SslConfig build(String property, String name, SslConfig.Builder builder, SslOptions options) {
        if (options != null && options.getEnabledProtocols() != null && options.getEnabledProtocols().length > 0) {
            builder.protocols(options.getEnabledProtocols());
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(property, name,
                    "The SSL bundle cannot be used: " + e.getMessage());
        }
    }
}
