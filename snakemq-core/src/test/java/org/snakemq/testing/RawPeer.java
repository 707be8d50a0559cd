package org.snakemq.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking socket that speaks snakeMQ frames by hand: a plain protocol-1 peer (no CAPABILITIES,
 * no ACK) and a source of malformed input for tests.
 */
public final class RawPeer implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public RawPeer(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends PROTOCOL_VERSION 1 and IDENTIFICATION, as an original peer does. */
    public RawPeer handshake(String identity) throws IOException {
        sendPacket(new byte[] {0, 0, 0, 0, 1});
        sendPacket(identification(identity));
        return this;
    }

    private static byte[] identification(String identity) {
        byte[] id = identity.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[1 + id.length];
        frame[0] = 2;
        System.arraycopy(id, 0, frame, 1, id.length);
        return frame;
    }

    /** Sends PROTOCOL_VERSION, CAPABILITIES (acknowledging) and IDENTIFICATION, as a peer of this project does. */
    public RawPeer handshakeWithAcks(String identity) throws IOException {
        sendPacket(new byte[] {0, 0, 0, 0, 1});
        sendPacket(new byte[] {0x40, 0, 0, 0, 1});
        sendPacket(identification(identity));
        return this;
    }

    /** Like {@link #handshakeWithAcks} but also announcing cumulative acknowledgements (ACK_UPTO). */
    public RawPeer handshakeWithCumulativeAcks(String identity) throws IOException {
        sendPacket(new byte[] {0, 0, 0, 0, 1});
        sendPacket(new byte[] {0x40, 0, 0, 0, 3});
        sendPacket(identification(identity));
        return this;
    }

    /** Sends PROTOCOL_VERSION, CAPABILITIES with these bits and IDENTIFICATION. */
    public RawPeer handshakeWithCapabilities(String identity, int bits) throws IOException {
        sendPacket(new byte[] {0, 0, 0, 0, 1});
        sendPacket(ByteBuffer.allocate(5).put((byte) 0x40).putInt(bits).array());
        sendPacket(identification(identity));
        return this;
    }

    /** Sends one ACK_UPTO frame: the first {@code count} messages of this connection, the last being {@code last}. */
    public void ackUpTo(long count, java.util.UUID last) throws IOException {
        sendPacket(ByteBuffer.allocate(25).put((byte) 0x42).putLong(count)
                .putLong(last.getMostSignificantBits()).putLong(last.getLeastSignificantBits()).array());
    }

    /** Sends one ACK frame for the given message ids. */
    public void ack(java.util.UUID... uuids) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(1 + 16 * uuids.length).put((byte) 0x41);
        for (java.util.UUID uuid : uuids) {
            frame.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        }
        sendPacket(frame.array());
    }

    /** Reads MESSAGE frames until {@code count} arrived; returns their ids and data as text. */
    public List<java.util.Map.Entry<java.util.UUID, String>> readMessages(int count) throws IOException {
        List<java.util.Map.Entry<java.util.UUID, String>> messages = new ArrayList<>();
        for (int i = 0; i < count * 4 + 10 && messages.size() < count; i++) {
            byte[] packet = readPacket();
            if (packet.length >= 25 && packet[0] == 3) {
                ByteBuffer b = ByteBuffer.wrap(packet, 1, 16);
                java.util.UUID uuid = new java.util.UUID(b.getLong(), b.getLong());
                messages.add(java.util.Map.entry(uuid, new String(packet, 25, packet.length - 25, StandardCharsets.UTF_8)));
            }
        }
        return messages;
    }

    public void sendPacket(byte[] payload) throws IOException {
        out.write(ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array());
        out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** A MESSAGE frame payload. */
    public static byte[] messageFrame(java.util.UUID uuid, long ttlField, int flags, byte[] data) {
        return ByteBuffer.allocate(25 + data.length).put((byte) 3)
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits())
                .putInt((int) ttlField).putInt(flags).put(data).array();
    }

    /** A MESSAGE_WITH_HEADERS frame payload with a header block given as bytes. */
    public static byte[] messageWithHeadersFrame(java.util.UUID uuid, long ttlField, int flags, byte[] block,
                                                 byte[] data) {
        return ByteBuffer.allocate(25 + block.length + data.length).put((byte) 0x43)
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits())
                .putInt((int) ttlField).putInt(flags).put(block).put(data).array();
    }

    /** Reads one packet payload, waiting at most the socket timeout. */
    public byte[] readPacket() throws IOException {
        int length = in.readInt();
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    /** Reads packets until one has the given frame type; fails after {@code limit} packets. */
    public byte[] readFrame(int type, int limit) throws IOException {
        for (int i = 0; i < limit; i++) {
            byte[] packet = readPacket();
            if (packet.length > 0 && (packet[0] & 0xFF) == type) {
                return packet;
            }
        }
        throw new IOException("no frame of type " + type + " within " + limit + " packets");
    }

    /** Reads the peer's handshake packets (every packet before the IDENTIFICATION, inclusive). */
    public List<byte[]> readHandshake() throws IOException {
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] packet = readPacket();
            packets.add(packet);
            if (packet.length > 0 && packet[0] == 2) {
                return packets;
            }
        }
        throw new IOException("no IDENTIFICATION in " + packets.size() + " packets");
    }

    /** Whether the other side closed the connection within the timeout (reading and discarding data). */
    public boolean closedWithin(Duration timeout) throws IOException {
        return closedWithin(socket, timeout);
    }

    /**
     * Whether the other side closed (or reset) {@code socket} within the timeout, reading and discarding
     * what arrives; false if it kept it open.
     */
    public static boolean closedWithin(Socket socket, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        InputStream in = socket.getInputStream();
        byte[] sink = new byte[8192];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, Math.min(100, (deadline - System.nanoTime()) / 1_000_000)));
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // still open
            } catch (EOFException | SocketException e) {
                return true;
            }
        }
        return false;
    }

    public void setTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
