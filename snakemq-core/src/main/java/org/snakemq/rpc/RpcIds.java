package org.snakemq.rpc;

import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random version-4 UUIDs for request ids and message ids. They only need to be unique, not secret (a
 * reply is accepted only from the peer the call went to), so they come from {@link ThreadLocalRandom}
 * instead of {@code UUID.randomUUID()}, whose SecureRandom reads the kernel's entropy source under a
 * lock on every call: a measurable share of an RPC round trip.
 */
final class RpcIds {

    private RpcIds() {
    }

    static UUID random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;              // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low);
    }

    static byte[] bytes(UUID uuid) {
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
    }
}
