package org.snakemq.testing;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.snakemq.message.Message;
import org.snakemq.messaging.InboundGate;

/** Takes every message and never reports it done, so that nothing is acknowledged. */
public final class HoldingGate implements InboundGate {

    @Override
    public boolean wants(String sender, Message message) {
        return true;
    }

    @Override
    public void accept(String sender, Message message) {
    }

    @Override
    public boolean hasRoom(String sender) {
        return true;
    }

    @Override
    public Collection<UUID> completedBefore(String sender) {
        return List.of();
    }

    @Override
    public void bind(Completions completions) {
    }
}
