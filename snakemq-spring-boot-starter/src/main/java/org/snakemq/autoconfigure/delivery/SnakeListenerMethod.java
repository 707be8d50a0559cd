package org.snakemq.autoconfigure.delivery;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.springframework.util.ReflectionUtils;

import org.snakemq.delivery.Delivery;
import org.snakemq.message.Message;

/** One {@code @SnakeListener} method of a bean, with the arguments it takes resolved per delivery. */
final class SnakeListenerMethod {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Object bean;
    private final Method method;
    private final Set<String> senders;
    private final boolean transactional;
    private final Class<?>[] parameters;

    SnakeListenerMethod(String beanName, Object bean, Method method, Set<String> senders, boolean transactional) {
        this.bean = bean;
        this.method = method;
        this.senders = senders;
        this.transactional = transactional;
        this.parameters = method.getParameterTypes();
        for (Class<?> type : parameters) {
            boolean known = type == Delivery.class || type == Message.class || type == byte[].class
                    || type == String.class || type == Connection.class;
            if (!known) {
                throw new IllegalStateException("@SnakeListener " + describe(beanName) + ": parameter type "
                        + type.getName() + " is not supported (Delivery, Message, byte[], String, java.sql.Connection)");
            }
            if (type == Connection.class && !transactional) {
                throw new IllegalStateException("@SnakeListener " + describe(beanName)
                        + ": a java.sql.Connection parameter needs transactional = true");
            }
        }
        ReflectionUtils.makeAccessible(method);
    }

    private String describe(String beanName) {
        return "method " + method.getName() + " of bean '" + beanName + "'";
    }

    boolean transactional() {
        return transactional;
    }

    boolean takes(String sender) {
        return senders.isEmpty() || senders.contains(sender);
    }

    /** Calls the method; a returned stage is the delivery's completion. */
    CompletionStage<?> invoke(Delivery delivery, Connection transaction) throws Exception {
        Object[] args = new Object[parameters.length];
        for (int i = 0; i < args.length; i++) {
            Class<?> type = parameters[i];
            if (type == Delivery.class) {
                args[i] = delivery;
            } else if (type == Message.class) {
                args[i] = delivery.message();
            } else if (type == byte[].class) {
                args[i] = delivery.message().data();
            } else if (type == String.class) {
                args[i] = new String(delivery.message().data(), StandardCharsets.UTF_8);
            } else {
                args[i] = transaction;
            }
        }
        Object result;
        try {
            result = method.invoke(bean, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
        return result instanceof CompletionStage<?> stage ? stage : DONE;
    }

    @Override
    public String toString() {
        return bean.getClass().getSimpleName() + "." + method.getName();
    }
}
