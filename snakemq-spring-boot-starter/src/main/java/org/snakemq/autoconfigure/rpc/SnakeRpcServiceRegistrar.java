package org.snakemq.autoconfigure.rpc;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import org.snakemq.rpc.RpcAccessPolicy;
import org.snakemq.rpc.RpcServer;
import org.snakemq.spring.SnakeRpc;

/**
 * Registers every bean annotated {@link SnakeRpc} (on its class or its {@code @Bean} method) with the
 * {@link RpcServer}, once all singletons exist and before the link starts. The name may hold
 * {@code ${...}} placeholders, resolved against the environment; one that does not resolve, or two
 * beans with the same RPC name, fail the start-up.
 *
 * <p>Each bean is served with its user class (Spring's {@link AopUtils#getTargetClass} behind a CGLIB
 * proxy; the application's interfaces of a JDK proxy), or with only {@link SnakeRpc#exposing()}. The
 * server's access policy becomes: what it allowed before, and the {@link SnakeRpc#allowedPeers()} of
 * the object called, and every {@link RpcAccessPolicy} bean.
 */
public final class SnakeRpcServiceRegistrar implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger("snakemq.rpc");

    private final ListableBeanFactory beanFactory;
    private final RpcServer server;
    private final Environment environment;

    /** @param environment resolves placeholders in the RPC names */
    public SnakeRpcServiceRegistrar(ListableBeanFactory beanFactory, RpcServer server, Environment environment) {
        this.beanFactory = beanFactory;
        this.server = server;
        this.environment = environment;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Map<String, String> beansByRpcName = new HashMap<>();
        Map<String, Set<String>> allowedPeers = new HashMap<>();
        for (String beanName : beanFactory.getBeanNamesForAnnotation(SnakeRpc.class)) {
            SnakeRpc annotation = beanFactory.findAnnotationOnBean(beanName, SnakeRpc.class);
            if (annotation == null) {
                continue;
            }
            String rpcName = SnakeRpcPlaceholders.resolve(environment, annotation.value(),
                    "@SnakeRpc(\"" + annotation.value() + "\") on bean '" + beanName + "'");
            if (rpcName.isBlank()) {
                throw new IllegalStateException("@SnakeRpc on bean '" + beanName + "' needs a name");
            }
            String previous = beansByRpcName.putIfAbsent(rpcName, beanName);
            if (previous != null) {
                throw new IllegalStateException("beans '" + previous + "' and '" + beanName
                        + "' are both served over RPC as '" + rpcName + "'");
            }
            Object bean = beanFactory.getBean(beanName);
            Class<?> served = servedType(beanName, bean, annotation);
            try {
                server.register(rpcName, bean, served);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("@SnakeRpc on bean '" + beanName + "': " + e.getMessage(), e);
            }
            List<String> peers = Arrays.asList(annotation.allowedPeers());
            if (peers.stream().anyMatch(p -> p == null || p.isBlank())) {
                throw new IllegalStateException("@SnakeRpc on bean '" + beanName + "': allowedPeers has a blank name");
            }
            if (!peers.isEmpty()) {
                allowedPeers.put(rpcName, Set.copyOf(peers));
            }
            log.info("serving bean '{}' over RPC as '{}': {}{}", beanName, rpcName, server.methodNames(rpcName),
                    peers.isEmpty() ? "" : " to peers " + peers);
        }
        RpcAccessPolicy policy = server.accessPolicy();
        if (!allowedPeers.isEmpty()) {
            policy = policy.and(call -> {
                Set<String> allowed = allowedPeers.get(call.object());
                return allowed == null || allowed.contains(call.peer());
            });
        }
        for (RpcAccessPolicy bean : beanFactory.getBeanProvider(RpcAccessPolicy.class).orderedStream().toList()) {
            policy = policy.and(bean);
        }
        server.setAccessPolicy(policy);
    }

    private static Class<?> servedType(String beanName, Object bean, SnakeRpc annotation) {
        if (annotation.exposing() != void.class) {
            if (!annotation.exposing().isInterface()) {
                throw new IllegalStateException("@SnakeRpc on bean '" + beanName + "': exposing must name an interface, not "
                        + annotation.exposing().getName());
            }
            return annotation.exposing();
        }
        if (java.lang.reflect.Proxy.isProxyClass(bean.getClass())) {
            return null; // the server serves the proxy's application interfaces
        }
        Class<?> target = AopUtils.getTargetClass(bean);
        return target.isInstance(bean) ? ClassUtils.getUserClass(target) : ClassUtils.getUserClass(bean);
    }
}
