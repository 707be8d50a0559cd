package org.snakemq.autoconfigure.messaging;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.util.ClassUtils;

/**
 * The converter chain of the template and the listeners: the application's {@link MessageConverter}
 * beans first (in their {@code @Order}), then {@code byte[]} as is, strings as text, objects as JSON
 * (Jackson 3, when on the class path, through the context's {@code JsonMapper}). An application
 * {@code JacksonJsonMessageConverter} bean takes the place of the default JSON converter instead (for
 * a mapper of its own). The first converter that can convert a payload or a target type wins.
 */
public final class SnakeMqMessageConverters {

    private static final String JSON_MAPPER = "tools.jackson.databind.json.JsonMapper";

    private SnakeMqMessageConverters() {
    }

    /** The chain with {@code application} converters ahead of (or in place of) the defaults. */
    public static CompositeMessageConverter create(List<MessageConverter> application, BeanFactory beanFactory) {
        List<MessageConverter> defaults = defaults(beanFactory);
        List<MessageConverter> first = new ArrayList<>();
        for (MessageConverter converter : application) {
            int same = indexOfClass(defaults, converter.getClass());
            if (same >= 0) {
                defaults.set(same, converter);
            } else {
                first.add(converter);
            }
        }
        first.addAll(defaults);
        return new CompositeMessageConverter(first);
    }

    /** {@code byte[]}, text, JSON (when Jackson 3 is on the class path). */
    static List<MessageConverter> defaults(BeanFactory beanFactory) {
        List<MessageConverter> defaults = new ArrayList<>(List.of(new PassThroughBytesConverter(), new TextConverter()));
        ClassLoader loader = beanFactory instanceof ConfigurableBeanFactory configurable
                ? configurable.getBeanClassLoader() : SnakeMqMessageConverters.class.getClassLoader();
        if (ClassUtils.isPresent(JSON_MAPPER, loader)) {
            defaults.add(JacksonConverters.json(beanFactory));
        }
        return defaults;
    }

    private static int indexOfClass(List<MessageConverter> converters, Class<?> type) {
        for (int i = 0; i < converters.size(); i++) {
            if (converters.get(i).getClass() == type) {
                return i;
            }
        }
        return -1;
    }
}
