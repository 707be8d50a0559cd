package org.snakemq.spring.metrics;

import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Times calls made through {@code @SnakeRpcClient} proxies as {@code snakemq.rpc.client.calls}, tagged
 * with {@code peer}, {@code object} and {@code method} (all fixed by the application's interfaces, so
 * the number of series stays bounded) and {@code outcome} ({@code success} or {@code error}). With
 * {@code snakemq.observation.enabled=true} the starter makes no such bean: the RPC client's observation
 * makes the timer, under the same name and tags.
 */
public final class RpcCallTimer implements RpcCallObserver {

    /** The timer's name. */
    public static final String NAME = "snakemq.rpc.client.calls";

    private final MeterRegistry registry;

    public RpcCallTimer(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public Observation start(String peer, String object, String method) {
        Timer.Sample sample = Timer.start(registry);
        return error -> sample.stop(Timer.builder(NAME)
                .description("RPC calls made through injected client proxies")
                .tags("peer", peer, "object", object, "method", method, "outcome", error == null ? "success" : "error")
                .register(registry));
    }
}
