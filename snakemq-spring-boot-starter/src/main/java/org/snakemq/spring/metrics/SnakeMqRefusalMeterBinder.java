package org.snakemq.spring.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.snakemq.link.Link;
import org.snakemq.messaging.Messaging;
import org.snakemq.rpc.RpcServer;

/**
 * What the peer refused: {@code snakemq.connections.refused} (tag {@code reason}: {@code limit} for
 * the link's connection limits, {@code unidentified} for too many connections not yet identified) and
 * {@code snakemq.rpc.server.refused} (tag {@code reason}: {@code denied} by an access policy,
 * {@code busy} over the per-peer call limit).
 */
public final class SnakeMqRefusalMeterBinder implements MeterBinder {

    private final Link link;
    private final Messaging messaging;
    private final RpcServer rpcServer;

    /** @param rpcServer null when RPC is off */
    public SnakeMqRefusalMeterBinder(Link link, Messaging messaging, RpcServer rpcServer) {
        this.link = link;
        this.messaging = messaging;
        this.rpcServer = rpcServer;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("snakemq.connections.refused", link, Link::refusedConnections)
                .tag("reason", "limit").description("connections closed at once over the link's limits")
                .register(registry);
        FunctionCounter.builder("snakemq.connections.refused", messaging, Messaging::refusedUnidentified)
                .tag("reason", "unidentified").description("connections closed over the limit of unidentified ones")
                .register(registry);
        if (rpcServer != null) {
            FunctionCounter.builder("snakemq.rpc.server.refused", rpcServer, RpcServer::deniedCalls)
                    .tag("reason", "denied").description("RPC requests an access policy refused").register(registry);
            FunctionCounter.builder("snakemq.rpc.server.refused", rpcServer, RpcServer::busyCalls)
                    .tag("reason", "busy").description("RPC calls answered busy over the per-peer limit")
                    .register(registry);
        }
    }
}
