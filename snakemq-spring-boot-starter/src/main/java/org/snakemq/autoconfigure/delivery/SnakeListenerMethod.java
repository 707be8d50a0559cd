package org.snakemq.autoconfigure.delivery;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionService;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.support.HeaderMethodArgumentResolver;
import org.springframework.messaging.handler.annotation.support.HeadersMethodArgumentResolver;
import org.springframework.messaging.handler.annotation.support.MessageMethodArgumentResolver;
import org.springframework.messaging.handler.annotation.support.PayloadMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.validation.Validator;

import org.snakemq.delivery.Delivery;

/**
 * One {@code @SnakeListener} method of a bean, its arguments resolved per delivery by spring-messaging's
 * {@link InvocableHandlerMethod}: {@code @Header}, {@code @Headers}, a spring-messaging {@code Message},
 * the snakeMQ arguments ({@link DeliveryArgumentResolver}), and the payload converted to the
 * parameter's type by the converter chain (validated with {@code @Valid} when there is a validator).
 */
final class SnakeListenerMethod {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** What a listener method needs from the context to resolve its arguments. */
    record Arguments(MessageConverter converter, Validator validator, ConversionService conversions,
                     ConfigurableBeanFactory beanFactory) {
    }

    private final String name;
    private final Set<String> senders;
    private final boolean transactional;
    private final InvocableHandlerMethod invocable;

    SnakeListenerMethod(String beanName, Object bean, Method method, Set<String> senders, boolean transactional,
                        Arguments arguments) {
        this.name = bean.getClass().getSimpleName() + "." + method.getName();
        this.senders = senders;
        this.transactional = transactional;
        this.invocable = new InvocableHandlerMethod(bean, method);
        NamingArgumentResolvers resolvers = new NamingArgumentResolvers(name);
        resolvers.addResolver(new HeaderMethodArgumentResolver(arguments.conversions(), arguments.beanFactory()));
        resolvers.addResolver(new HeadersMethodArgumentResolver());
        resolvers.addResolver(new DeliveryArgumentResolver());
        resolvers.addResolver(new MessageMethodArgumentResolver(arguments.converter()));
        resolvers.addResolver(new PayloadMethodArgumentResolver(arguments.converter(), arguments.validator()));
        invocable.setMessageMethodArgumentResolvers(resolvers);
        check(beanName, method);
    }

    private void check(String beanName, Method method) {
        String where = "@SnakeListener method " + method.getName() + " of bean '" + beanName + "'";
        List<String> payloads = new ArrayList<>();
        for (MethodParameter parameter : invocable.getMethodParameters()) {
            Class<?> type = parameter.getParameterType();
            if (type == Connection.class && !transactional) {
                throw new IllegalStateException(where + ": a java.sql.Connection parameter needs transactional = true");
            }
            boolean other = parameter.hasParameterAnnotation(Header.class) || parameter.hasParameterAnnotation(Headers.class)
                    || type == Delivery.class || type == org.snakemq.message.Message.class || type == Connection.class
                    || DeliveryArgumentResolver.isRawData(parameter)
                    || org.springframework.messaging.Message.class.isAssignableFrom(type)
                    || org.springframework.messaging.MessageHeaders.class.isAssignableFrom(type)
                    || org.springframework.messaging.support.MessageHeaderAccessor.class.isAssignableFrom(type);
            if (!other || parameter.hasParameterAnnotation(Payload.class)) {
                payloads.add(parameter.getGenericParameterType().getTypeName());
            }
        }
        if (payloads.size() > 1) {
            throw new IllegalStateException(where + ": more than one parameter would take the converted payload "
                    + payloads + "; annotate the others with @Header or @Headers");
        }
    }

    boolean transactional() {
        return transactional;
    }

    boolean takes(String sender) {
        return senders.isEmpty() || senders.contains(sender);
    }

    /** Calls the method; a returned stage is the delivery's completion. */
    CompletionStage<?> invoke(Delivery delivery, Connection transaction) throws Exception {
        Object result = invocable.invoke(new ReceivedMessage(delivery, transaction));
        return result instanceof CompletionStage<?> stage ? stage : DONE;
    }

    @Override
    public String toString() {
        return name;
    }
}
