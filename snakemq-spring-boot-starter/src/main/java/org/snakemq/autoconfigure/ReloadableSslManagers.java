package org.snakemq.autoconfigure;

import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;

/**
 * The key and trust material of one SSL bundle, behind managers that forward to the bundle's current
 * content: when Spring Boot reloads the bundle ({@code reload-on-update}), {@link #update} swaps the
 * content in, and every handshake from then on (new connections) uses it, while the TLS contexts built
 * on these managers stay as they are. Connections already open keep their session.
 */
final class ReloadableSslManagers {

    private static final Logger log = LoggerFactory.getLogger("snakemq.spring");
    private static final Provider PROVIDER = new Provider("snakemq-reloadable", "1.0",
            "forwards to the current content of a Spring Boot SSL bundle") {
    };

    private final String bundleName;
    private final ForwardingKeyManager keyManager;
    private final ForwardingTrustManager trustManager;

    /**
     * @param hasKeys whether the bundle has a key store
     * @param trust   the bundle's trust managers, or null when it has none
     */
    ReloadableSslManagers(String bundleName, SslManagerBundle managers, boolean hasKeys, TrustManagerFactory trust) {
        this.bundleName = bundleName;
        this.keyManager = hasKeys ? new ForwardingKeyManager(keyManager(managers.getKeyManagerFactory())) : null;
        this.trustManager = trust != null ? new ForwardingTrustManager(trustManager(trust)) : null;
    }

    /** Key managers that always present the bundle's current key, or null when it has no key store. */
    KeyManagerFactory keyManagerFactory() {
        if (keyManager == null) {
            return null;
        }
        return new KeyManagerFactory(new KeyManagerFactorySpi() {
            @Override
            protected void engineInit(KeyStore ks, char[] password) {
            }

            @Override
            protected void engineInit(ManagerFactoryParameters spec) {
            }

            @Override
            protected KeyManager[] engineGetKeyManagers() {
                return new KeyManager[] {keyManager};
            }
        }, PROVIDER, "snakemq-reloadable") {
        };
    }

    /** Trust managers that always check against the bundle's current trust material, or null. */
    TrustManagerFactory trustManagerFactory() {
        if (trustManager == null) {
            return null;
        }
        return new TrustManagerFactory(new TrustManagerFactorySpi() {
            @Override
            protected void engineInit(KeyStore ks) {
            }

            @Override
            protected void engineInit(ManagerFactoryParameters spec) {
            }

            @Override
            protected TrustManager[] engineGetTrustManagers() {
                return new TrustManager[] {trustManager};
            }
        }, PROVIDER, "snakemq-reloadable") {
        };
    }

    /** Takes the reloaded bundle's content; handshakes from now on use it. */
    void update(SslBundle bundle) {
        try {
            SslManagerBundle managers = bundle.getManagers();
            if (keyManager != null) {
                keyManager.delegate(keyManager(managers.getKeyManagerFactory()));
            }
            if (trustManager != null) {
                trustManager.delegate = trustManager(managers.getTrustManagerFactory());
            }
            log.info("SSL bundle '{}' reloaded: new snakeMQ connections use its new content", bundleName);
        } catch (RuntimeException e) {
            log.warn("SSL bundle '{}' reloaded, but its content cannot be used; keeping the previous one",
                    bundleName, e);
        }
    }

    private static X509ExtendedKeyManager keyManager(KeyManagerFactory factory) {
        return first(factory.getKeyManagers(), X509ExtendedKeyManager.class, "key");
    }

    private static X509ExtendedTrustManager trustManager(TrustManagerFactory factory) {
        return first(factory.getTrustManagers(), X509ExtendedTrustManager.class, "trust");
    }

    /** The first of {@code managers} that is a {@code type}; {@code kind} names it in the failure. */
    private static <M> M first(Object[] managers, Class<M> type, String kind) {
        for (Object manager : managers) {
            if (type.isInstance(manager)) {
                return type.cast(manager);
            }
        }
        throw new IllegalStateException("the SSL bundle has no X.509 " + kind + " manager");
    }

    /**
     * Forwards to the current key manager. Aliases carry the generation they were chosen from, so a
     * handshake that chose its alias just before a reload still gets the matching chain and key.
     */
    static final class ForwardingKeyManager extends X509ExtendedKeyManager {

        private record Generation(int number, X509ExtendedKeyManager manager) {
        }

        private volatile Generation current;
        private volatile Generation previous;

        ForwardingKeyManager(X509ExtendedKeyManager initial) {
            current = new Generation(0, initial);
        }

        synchronized void delegate(X509ExtendedKeyManager manager) {
            Generation now = current;
            previous = now;
            current = new Generation(now.number() + 1, manager);
        }

        private static String tagged(Generation generation, String alias) {
            return alias == null ? null : generation.number() + ":" + alias;
        }

        private static String[] tagged(Generation generation, String[] aliases) {
            if (aliases == null) {
                return null;
            }
            String[] result = new String[aliases.length];
            for (int i = 0; i < aliases.length; i++) {
                result[i] = tagged(generation, aliases[i]);
            }
            return result;
        }

        /** The generation an alias was chosen from (the current one if it is older than the previous). */
        private Generation generationOf(String alias) {
            Generation now = current;
            Generation before = previous;
            int colon = alias == null ? -1 : alias.indexOf(':');
            if (colon > 0 && before != null && alias.substring(0, colon).equals(Integer.toString(before.number()))) {
                return before;
            }
            return now;
        }

        private static String untagged(String alias) {
            int colon = alias == null ? -1 : alias.indexOf(':');
            return colon < 0 ? alias : alias.substring(colon + 1);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            Generation now = current;
            return tagged(now, now.manager().getClientAliases(keyType, issuers));
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            Generation now = current;
            return tagged(now, now.manager().chooseClientAlias(keyType, issuers, socket));
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            Generation now = current;
            return tagged(now, now.manager().chooseEngineClientAlias(keyType, issuers, engine));
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            Generation now = current;
            return tagged(now, now.manager().getServerAliases(keyType, issuers));
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            Generation now = current;
            return tagged(now, now.manager().chooseServerAlias(keyType, issuers, socket));
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            Generation now = current;
            return tagged(now, now.manager().chooseEngineServerAlias(keyType, issuers, engine));
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return generationOf(alias).manager().getCertificateChain(untagged(alias));
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return generationOf(alias).manager().getPrivateKey(untagged(alias));
        }
    }

    /** Forwards every check to the current trust manager. */
    static final class ForwardingTrustManager extends X509ExtendedTrustManager {

        volatile X509ExtendedTrustManager delegate;

        ForwardingTrustManager(X509ExtendedTrustManager initial) {
            delegate = initial;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
