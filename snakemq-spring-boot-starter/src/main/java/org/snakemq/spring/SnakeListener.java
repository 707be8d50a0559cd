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
 * <p>Parameters, in any order, each optional, resolved as spring-messaging resolves those of a
 * message handler method:
 * <ul>
 * <li>the payload, converted to the parameter's type by the starter's converter chain (JSON into
 * records and beans, through Spring Boot's {@code JsonMapper}), optionally {@code @Payload}; with
 * {@code @Valid} (or {@code @Validated}) checked by the context's validator. At most one such parameter.
 * A payload that does not convert or validate fails the delivery like a throwing method, with a
 * message naming the method, the message, its content type and the target type;</li>
 * <li>{@code @Header("name")} values (converted: {@code @Header("count") int count}),
 * {@code @Header(SnakeMqHeaders.PEER) String peer} (the sender), {@code @Header(SnakeMqHeaders.ATTEMPT)},
 * {@code @Header(MessageHeaders.CONTENT_TYPE)}, and {@code @Headers Map<String, Object>};</li>
 * <li>a spring-messaging {@code Message<T>} (payload converted to {@code T}, id = the snakeMQ message id);</li>
 * <li>{@link org.snakemq.delivery.Delivery} (sender, attempt), {@link org.snakemq.message.Message},
 * {@code byte[]} (the data) and {@code String} (the data as UTF-8 text, whatever the content type) when
 * not annotated, {@link java.sql.Connection} (only with {@link #transactional()}: the transaction that
 * also records the message as done).</li>
 * </ul>
 * See {@link SnakeMqHeaders} for the header names.
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
