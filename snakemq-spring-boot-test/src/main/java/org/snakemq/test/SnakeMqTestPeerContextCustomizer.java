package org.snakemq.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts the test peer as the context is prepared (the application's configuration is loaded by
 * then), points a connector of the application at it and registers it as the bean
 * {@value #BEAN_NAME}, closed with the context. Equal customizers share a cached context.
 */
final class SnakeMqTestPeerContextCustomizer implements ContextCustomizer {

    static final String BEAN_NAME = "snakeMqTestPeer";
    static final String PROPERTY_SOURCE = "snakeMqTestPeer";

    private final String identity;
    private final boolean freeListenerPorts;

    SnakeMqTestPeerContextCustomizer(String identity, boolean freeListenerPorts) {
        this.identity = identity;
        this.freeListenerPorts = freeListenerPorts;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        ConfigurableEnvironment environment = context.getEnvironment();
        Binder binder = Binder.get(environment);
        SnakeMqTestPeer peer = SnakeMqTestPeer.start(identity);
        Map<String, Object> properties = new LinkedHashMap<>();
        // a list is bound from one property source as a whole: the application's entries come along
        List<Map<String, Object>> connectors = list(binder, "snakemq.connectors");
        copy("snakemq.connectors", connectors, properties);
        String ours = "snakemq.connectors[" + connectors.size() + "].";
        properties.put(ours + "host", "127.0.0.1");
        properties.put(ours + "port", peer.port());
        properties.put(ours + "reconnect-interval", "100ms");
        if (freeListenerPorts) {
            List<Map<String, Object>> listeners = list(binder, "snakemq.listeners");
            copy("snakemq.listeners", listeners, properties);
            for (int i = 0; i < listeners.size(); i++) {
                properties.put("snakemq.listeners[" + i + "].port", 0);
            }
        }
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
        DefaultListableBeanFactory beanFactory = (DefaultListableBeanFactory) context.getBeanFactory();
        beanFactory.registerSingleton(BEAN_NAME, peer);
        beanFactory.registerDisposableBean(BEAN_NAME, peer::close);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Map<String, Object>> list(Binder binder, String name) {
        return (List) binder.bind(name, Bindable.listOf(Map.class)).orElse(List.of());
    }

    private static void copy(String name, List<Map<String, Object>> entries, Map<String, Object> properties) {
        for (int i = 0; i < entries.size(); i++) {
            flatten(name + "[" + i + "]", entries.get(i), properties);
        }
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Map<String, Object> properties) {
        map.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                flatten(prefix + "." + key, (Map<String, Object>) nested, properties);
            } else {
                properties.put(prefix + "." + key, value);
            }
        });
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnakeMqTestPeerContextCustomizer other && identity.equals(other.identity)
                && freeListenerPorts == other.freeListenerPorts;
    }

    @Override
    public int hashCode() {
        return Objects.hash(identity, freeListenerPorts);
    }
}
