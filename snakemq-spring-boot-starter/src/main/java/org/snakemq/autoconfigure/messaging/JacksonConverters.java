package org.snakemq.autoconfigure.messaging;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;

import tools.jackson.databind.json.JsonMapper;

/** The JSON converter; loaded only when Jackson 3 is on the class path. */
final class JacksonConverters {

    private JacksonConverters() {
    }

    /** JSON through the context's {@code JsonMapper} (Spring Boot's, with its customizers), else Jackson's defaults. */
    static MessageConverter json(BeanFactory beanFactory) {
        JsonMapper mapper = beanFactory.getBeanProvider(JsonMapper.class).getIfUnique();
        return mapper == null ? new JacksonJsonMessageConverter() : new JacksonJsonMessageConverter(mapper);
    }
}
