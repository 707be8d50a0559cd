package org.snakemq.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.snakemq.link.Link;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.ReceiveHook;
import org.snakemq.packeter.Packeter;
import org.snakemq.rpc.RpcServer;

class SnakeMqRefusalMeterBinderTest {

    @Test
    void refusalsAreCountersTaggedByReasonAndWithoutRpcOnlyTheConnectionOnesExist() {
        try (Link link = new Link()) {
            Messaging messaging = new Messaging("bob", "", new Packeter(link));
            SimpleMeterRegistry withRpc = new SimpleMeterRegistry();
            new SnakeMqRefusalMeterBinder(link, messaging, new RpcServer(new ReceiveHook(messaging))).bindTo(withRpc);
            assertThat(withRpc.get("snakemq.connections.refused").tag("reason", "limit").functionCounter().count()).isZero();
            assertThat(withRpc.get("snakemq.connections.refused").tag("reason", "unidentified").functionCounter().count())
                    .isZero();
            assertThat(withRpc.get("snakemq.rpc.server.refused").tag("reason", "denied").functionCounter()).isNotNull();
            assertThat(withRpc.get("snakemq.rpc.server.refused").tag("reason", "busy").functionCounter()).isNotNull();

            SimpleMeterRegistry withoutRpc = new SimpleMeterRegistry();
            new SnakeMqRefusalMeterBinder(link, messaging, null).bindTo(withoutRpc);
            assertThat(withoutRpc.find("snakemq.rpc.server.refused").meters()).isEmpty();
            assertThat(withoutRpc.find("snakemq.connections.refused").meters()).hasSize(2);
        }
    }
}
