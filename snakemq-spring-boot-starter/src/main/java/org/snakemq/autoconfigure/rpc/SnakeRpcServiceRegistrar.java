package org.snakemq.autoconfigure.rpc;

import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;

import org.snakemq.rpc.RpcServer;
import org.snakemq.spring.SnakeRpc;

/**
 * Registers every bean annotated {@link SnakeRpc} (on its class or its {@code @Bean} method) with the
 * {@link RpcServer}, once all singletons exist and before the link starts. The name may hold
 * {@code ${...}} placeholders, resolved against the environment; one that does not resolve, or two
 * beans with the same RPC name, fail the start-up.
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
            server.register(rpcName, beanFactory.getBean(beanName));
            log.info("serving bean '{}' over RPC as '{}'", beanName, rpcName);
        }
    }
}
