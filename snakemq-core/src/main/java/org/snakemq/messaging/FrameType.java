package org.snakemq.messaging;

/** Frame type bytes of protocol version 1 and of the project's extension (0x40 and above). */
final class FrameType {

    public static final int PROTOCOL_VERSION = 0;
    public static final int INCOMPATIBLE_PROTOCOL = 1;
    public static final int IDENTIFICATION = 2;
    public static final int MESSAGE = 3;
    public static final int PING = 4;
    public static final int PONG = 5;
    /** Extension: a 4-byte capability bit set. */
    public static final int CAPABILITIES = 0x40;
    /** Extension: one or more 16-byte UUIDs of delivered messages. */
    public static final int ACK = 0x41;
    /**
     * Extension: an 8-byte count of the MESSAGE frames received on this connection and the 16-byte
     * UUID of the last of them; acknowledges every one of them.
     */
    public static final int ACK_UPTO = 0x42;
    /**
     * Extension: a MESSAGE with headers: UUID, TTL and flags as in MESSAGE, then the header block
     * ({@link org.snakemq.message.HeaderBlock}), then the data. Sent only to a peer that announced
     * {@link #CAP_HEADERS}; counted like MESSAGE wherever messages are counted.
     */
    public static final int MESSAGE_WITH_HEADERS = 0x43;
    /**
     * Extension: one byte, 1 or 0. 1: every MESSAGE (or MESSAGE_WITH_HEADERS) frame that follows on this
     * connection is sent for the first time, so the receiver need not look it up among the ids it
     * delivered before; 0: those that follow may have been sent before (after a reconnect or a
     * restart). A connection starts at 0. Sent only to a peer that announced {@link #CAP_FIRST_SENDS}.
     */
    public static final int FIRST_SENDS = 0x44;

    /** The protocol version spoken. */
    public static final int VERSION = 1;
    /** CAPABILITIES bit: the sender acknowledges messages. */
    public static final int CAP_ACK = 0x1;
    /** CAPABILITIES bit: the sender understands {@link #ACK_UPTO}. */
    public static final int CAP_ACK_UPTO = 0x2;
    /** CAPABILITIES bit: the sender understands {@link #MESSAGE_WITH_HEADERS}. */
    public static final int CAP_HEADERS = 0x4;
    /** CAPABILITIES bit: the sender understands {@link #FIRST_SENDS}. */
    public static final int CAP_FIRST_SENDS = 0x8;
    /** TTL field value meaning "no TTL". */
    public static final long TTL_INFINITE = 0xFFFFFFFFL;
    /** Bytes of a MESSAGE payload before the data: UUID, TTL, flags. */
    public static final int MESSAGE_HEADER = 16 + 4 + 4;

    private FrameType() {
    }
}
