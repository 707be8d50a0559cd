package org.snakemq.messaging;

import java.util.List;
import java.util.UUID;

import org.snakemq.message.Message;

/** One decoded frame: the payload of one packet. See {@link FrameCodec}. */
sealed interface Frame {

    record ProtocolVersion(long version) implements Frame {
    }

    record IncompatibleProtocol() implements Frame {
    }

    /** @param malformed whether the bytes were not valid UTF-8 (bad bytes were replaced) */
    record Identification(String identity, boolean malformed) implements Frame {
    }

    record MessageFrame(Message message) implements Frame {
    }

    /** A MESSAGE_WITH_HEADERS frame: the message carries the decoded headers. */
    record MessageWithHeaders(Message message) implements Frame {
    }

    record Ping() implements Frame {
    }

    record Pong() implements Frame {
    }

    record Capabilities(int bits) implements Frame {
    }

    /** A FIRST_SENDS frame: whether the messages that follow are sent for the first time. */
    record FirstSends(boolean fresh) implements Frame {
    }

    record Ack(List<UUID> uuids) implements Frame {
    }

    /** Every MESSAGE (or MESSAGE_WITH_HEADERS) frame received on the connection so far, {@code count} of them, the last with this id. */
    record AckUpTo(long count, long high, long low) implements Frame {
    }

    /** A frame type this peer does not know; ignored, as the original does. */
    record Unknown(int type) implements Frame {
    }
}
