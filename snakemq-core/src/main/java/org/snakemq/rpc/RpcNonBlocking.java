package org.snakemq.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a served method that never blocks: the {@link RpcServer} runs it on the link's loop thread,
 * where the request was decoded, instead of handing it to the server's executor. That saves the
 * hand-off to a worker thread and the worker's wake-up, about half the round trip of a short call on
 * a two-core machine.
 *
 * <p>The method must return quickly and must not wait for anything: no I/O, no locks held for long,
 * no synchronous RPC call, no {@code Future.get()}. While it runs, no connection of the link reads or
 * writes, and a method that blocks holds up every peer. Work that takes time belongs in a method
 * without this mark, or in one that returns a {@link java.util.concurrent.CompletionStage} at once and
 * completes it elsewhere: the reply is sent when the stage completes, from the thread that completes it.
 *
 * <p>An overloaded name runs on the loop only when every method of that name is marked. Read once, on
 * the thread that registers the object; on the method itself or on a method it implements or
 * overrides, as {@link RpcSignal}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RpcNonBlocking {
}
