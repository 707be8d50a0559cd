/**
 * The public API of the snakeMQ Spring Boot starter: application events published for received
 * messages and peer changes, {@link SnakeListener} methods with converted payloads, the
 * {@link SnakeMqTemplate} that converts and sends ({@link SendOptions}, {@link SendResult},
 * {@link SnakeMqHeaders}), and the annotations that serve beans over RPC ({@link SnakeRpc}) and
 * inject typed RPC client proxies ({@link SnakeRpcClient}).
 *
 * <p>Event listeners run on the link's loop thread by default. Either annotate them with
 * {@code @Async} (with {@code @EnableAsync} and an executor), or set
 * {@code snakemq.events.async=true} to publish from an executor: the bean named
 * {@code snakemqEventExecutor} when there is one, otherwise one thread owned by the starter
 * ({@code snakemq-events-*}), which keeps the events in order. The starter's threads come from
 * Spring Boot's task executor builders: the application's {@code TaskDecorator}s apply, and
 * {@code spring.threads.virtual.enabled=true} (Java 21+) makes them virtual.
 */
package org.snakemq.spring;
