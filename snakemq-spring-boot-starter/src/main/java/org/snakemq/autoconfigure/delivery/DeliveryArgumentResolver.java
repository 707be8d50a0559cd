package org.snakemq.autoconfigure.delivery;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

import org.snakemq.delivery.Delivery;
import org.snakemq.message.Message;

/**
 * The snakeMQ arguments of a {@code @SnakeListener} method: {@link Delivery}, the snakeMQ
 * {@link Message}, the transaction's {@link Connection}, and the data as {@code byte[]} or as UTF-8
 * {@code String} for such a parameter without {@code @Payload} (whatever the content type, as before
 * conversion existed).
 */
final class DeliveryArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        Class<?> type = parameter.getParameterType();
        return type == Delivery.class || type == Message.class || type == Connection.class || isRawData(parameter);
    }

    /** A {@code byte[]} or {@code String} parameter without a messaging annotation. */
    static boolean isRawData(MethodParameter parameter) {
        Class<?> type = parameter.getParameterType();
        return (type == byte[].class || type == String.class) && !parameter.hasParameterAnnotation(Payload.class)
                && !parameter.hasParameterAnnotation(Header.class) && !parameter.hasParameterAnnotation(Headers.class);
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, org.springframework.messaging.Message<?> message) {
        ReceivedMessage received = (ReceivedMessage) message;
        Class<?> type = parameter.getParameterType();
        Delivery delivery = received.delivery();
        if (type == Delivery.class) {
            return delivery;
        }
        if (type == Message.class) {
            return delivery.message();
        }
        if (type == Connection.class) {
            return received.transaction();
        }
        byte[] data = delivery.message().data();
        return type == byte[].class ? data : new String(data, StandardCharsets.UTF_8);
    }
}
