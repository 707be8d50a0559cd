package org.snakemq.rpc;

import java.nio.ByteBuffer;
import java.util.UUID;

import org.snakemq.message.MessageIds;

/** Request ids: random UUIDs ({@link MessageIds}) and their 16-byte form. */
final class RpcIds {

    private RpcIds() {
    }

    static UUID random() {
        return MessageIds.random();
    }

    static byte[] bytes(UUID uuid) {
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
    }
}
