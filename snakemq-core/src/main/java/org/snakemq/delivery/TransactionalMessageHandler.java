package org.snakemq.delivery;

import java.sql.Connection;

/**
 * Handles received messages inside a transaction of the delivery store's database, which also
 * records the message in the durable inbox: the application's writes and "this message is done"
 * commit together, or not at all (exactly-once processing). Do not commit, roll back or close the
 * connection; throw to roll back and fail the delivery.
 *
 * <p>Threads: as {@link MessageHandler}.
 */
@FunctionalInterface
public interface TransactionalMessageHandler {

    void handle(Delivery delivery, Connection transaction) throws Exception;
}
