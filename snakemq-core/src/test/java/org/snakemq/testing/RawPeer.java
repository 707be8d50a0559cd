package org.snakemq.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
        byte[] id = identity.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[1 + id.length];
        frame[0] = 2;
        System.arraycopy(id, 0, frame, 1, id.length);
        sendPacket(frame);
        return this;
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
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] sink = new byte[8192];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000)));
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // keep waiting
            } catch (EOFException | java.net.SocketException e) {
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
