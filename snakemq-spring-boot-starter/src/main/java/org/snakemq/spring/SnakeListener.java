package org.snakemq.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method that handles received messages. The message is acknowledged to its sender only
 * once the method returned (or the {@code CompletionStage} it returned completed); an exception fails
 * the delivery, which is retried ({@code snakemq.delivery.retry.*}) and then kept as a dead letter.
 * Per sender, messages arrive in order, one at a time.
 *
 * <p>Parameters, in any order, each optional: {@link org.snakemq.delivery.Delivery} (sender, attempt),
 * {@link org.snakemq.message.Message}, {@code byte[]} (the data), {@code String} (the data as UTF-8
 * text), {@link java.sql.Connection} (only with {@link #transactional()}: the transaction that also
 * records the message as done).
 *
 * <p>Threads: called on a snakeMQ handler thread, never on the link's loop thread.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SnakeListener {

    /** Identities whose messages this method takes; empty for every sender. */
    String[] senders() default {};

    /**
     * Whether the method runs in a transaction of the storage's database that also records the
     * message in the inbox (exactly-once processing); needs {@code snakemq.storage.type} sqlite or jdbc.
     */
    boolean transactional() default false;
}
