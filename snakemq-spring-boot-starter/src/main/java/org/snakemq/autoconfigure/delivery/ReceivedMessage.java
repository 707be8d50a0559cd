package org.snakemq.autoconfigure.delivery;

import java.sql.Connection;
import java.util.Map;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;

import org.snakemq.delivery.Delivery;
import org.snakemq.spring.SnakeMqHeaderMapper;
import org.snakemq.spring.SnakeMqHeaders;

/**
 * A delivery as the spring-messaging message that {@code @SnakeListener} arguments are resolved from:
 * the data as payload, the wire headers, {@link SnakeMqHeaders#PEER} and {@link SnakeMqHeaders#ATTEMPT},
 * the snakeMQ message id as id and the arrival as timestamp. Keeps the delivery and the transaction for
 * the arguments of those types.
 */
final class ReceivedMessage extends GenericMessage<byte[]> {

    private final transient Delivery delivery;
    private final transient Connection transaction;

    ReceivedMessage(Delivery delivery, Connection transaction) {
        super(delivery.message().data(), headers(delivery));
        this.delivery = delivery;
        this.transaction = transaction;
    }

    private static MessageHeaders headers(Delivery delivery) {
        Map<String, Object> map = SnakeMqHeaderMapper.fromWire(delivery.message().headers());
        map.put(SnakeMqHeaders.PEER, delivery.sender());
        map.put(SnakeMqHeaders.ATTEMPT, delivery.attempt());
        return new ReceivedHeaders(map, delivery);
    }

    Delivery delivery() {
        return delivery;
    }

    /** The storage's transaction of a transactional listener, else null. */
    Connection transaction() {
        return transaction;
    }

    /** Headers whose id is the snakeMQ message id rather than a fresh one. */
    private static final class ReceivedHeaders extends MessageHeaders {
        ReceivedHeaders(Map<String, Object> headers, Delivery delivery) {
            super(headers, delivery.message().uuid(), delivery.receivedAt().toEpochMilli());
        }
    }
}
