package org.snakemq.rpc;

import java.util.Arrays;
import java.util.HexFormat;

/** A request id as a map key: compared by content, hashed once, shown in hex. */
final class RequestId {

    private final String peer;
    private final byte[] bytes;
    private final int hash;

    /** @param peer the peer the id belongs to: ids are only unique per caller */
    RequestId(String peer, byte[] bytes) {
        this.peer = peer;
        this.bytes = bytes;
        this.hash = 31 * peer.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestId other && hash == other.hash && Arrays.equals(bytes, other.bytes)
                && peer.equals(other.peer);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
