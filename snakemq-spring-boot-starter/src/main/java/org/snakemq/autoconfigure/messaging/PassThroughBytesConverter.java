package org.snakemq.autoconfigure.messaging;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.ByteArrayMessageConverter;

/** {@code byte[]} as they are, whatever the content type: the bytes are already in their wire form. */
final class PassThroughBytesConverter extends ByteArrayMessageConverter {

    @Override
    protected boolean supportsMimeType(MessageHeaders headers) {
        return true;
    }
}
