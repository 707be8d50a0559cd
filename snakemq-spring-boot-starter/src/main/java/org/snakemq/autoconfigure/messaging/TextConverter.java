package org.snakemq.autoconfigure.messaging;

import java.nio.charset.StandardCharsets;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.StringMessageConverter;

/**
 * Strings as text in the content type's charset (UTF-8 when it names none), whatever the content
 * type: a {@code String} payload sent as {@code application/json} is JSON text already, and a
 * {@code String} parameter receives any data as text.
 */
final class TextConverter extends StringMessageConverter {

    TextConverter() {
        super(StandardCharsets.UTF_8);
    }

    @Override
    protected boolean supportsMimeType(MessageHeaders headers) {
        return true;
    }
}
