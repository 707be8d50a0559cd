package org.snakemq.autoconfigure.rpc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;

import org.snakemq.rpc.RpcClient;
import org.snakemq.spring.metrics.RpcCallObserver;

/**
 * Creates the bean of one {@link org.snakemq.spring.SnakeRpcClient} interface: the
 * {@link RpcClient#proxy(String, String, Class) RpcClient proxy} for the remote object, wrapped so that
 * an {@link RpcCallObserver} bean (the call timer, when Micrometer is present) sees each call.
 *
 * @param <T> the interface
 */
public final class SnakeRpcClientFactoryBean<T> implements FactoryBean<T>, BeanFactoryAware {

    private final Class<T> type;
    private final String peer;
    private final String object;
    private BeanFactory beanFactory;

    public SnakeRpcClientFactoryBean(Class<T> type, String peer, String object) {
        this.type = Objects.requireNonNull(type, "type");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.object = Objects.requireNonNull(object, "object");
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public T getObject() {
        T proxy = beanFactory.getBean(RpcClient.class).proxy(peer, object, type);
        RpcCallObserver observer = beanFactory.getBeanProvider(RpcCallObserver.class).getIfAvailable();
        return observer == null ? proxy : observed(proxy, observer);
    }

    @Override
    public Class<?> getObjectType() {
        return type;
    }

    private T observed(T target, RpcCallObserver observer) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class || method.isDefault()) {
                return invoke(target, method, args);
            }
            RpcCallObserver.Observation observation = observer.start(peer, object, method.getName());
            Object result;
            try {
                result = invoke(target, method, args);
            } catch (Throwable e) {
                observation.end(e);
                throw e;
            }
            if (result instanceof CompletionStage<?> stage) {
                stage.whenComplete((value, error) -> observation.end(error));
            } else {
                observation.end(null);
            }
            return result;
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public String toString() {
        return "SnakeRpcClient[" + type.getName() + " -> " + peer + "/" + object + "]";
    }
}
