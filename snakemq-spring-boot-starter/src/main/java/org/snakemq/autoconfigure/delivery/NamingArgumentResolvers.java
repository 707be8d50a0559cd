package org.snakemq.autoconfigure.delivery;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolverComposite;

import org.snakemq.delivery.Delivery;

/**
 * The argument resolvers of one listener method; an argument that cannot be resolved (a payload that
 * does not convert, a missing header, a payload that fails {@code @Valid}) fails the delivery with an
 * exception naming the method, the message and the parameter's type.
 */
final class NamingArgumentResolvers extends HandlerMethodArgumentResolverComposite {

    private final String listener;

    NamingArgumentResolvers(String listener) {
        this.listener = listener;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, org.springframework.messaging.Message<?> message)
            throws Exception {
        try {
            return super.resolveArgument(parameter, message);
        } catch (MessageConversionException e) {
            throw new MessageConversionException(message, describe(parameter, message, "cannot convert the payload")
                    + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MessageHandlingException(message, describe(parameter, message, "cannot resolve argument "
                    + parameter.getParameterIndex()) + ": " + e.getMessage(), e);
        }
    }

    private String describe(MethodParameter parameter, org.springframework.messaging.Message<?> message, String what) {
        Delivery delivery = ((ReceivedMessage) message).delivery();
        Object contentType = message.getHeaders().get(MessageHeaders.CONTENT_TYPE);
        return "@SnakeListener " + listener + ": " + what + " of message " + delivery.message().uuid() + " from "
                + delivery.sender() + " (" + (contentType == null ? "no content type" : "content type " + contentType)
                + ", " + delivery.message().data().length + " bytes) to " + parameter.getGenericParameterType().getTypeName();
    }
}
