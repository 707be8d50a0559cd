package org.snakemq.message;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random version-4 UUIDs for message and request ids. They must be unique, not secret, so they come
 * from {@link ThreadLocalRandom} rather than {@code UUID.randomUUID()}, whose SecureRandom takes a
 * lock and reads the kernel's entropy source on every call: a real cost at millions of messages per
 * second and across sending threads.
 */
public final class MessageIds {

    private MessageIds() {
    }

    /** A new random id. Thread-safe, lock-free. */
    public static UUID random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;                          // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;   // IETF variant
        return new UUID(high, low);
    }
}
