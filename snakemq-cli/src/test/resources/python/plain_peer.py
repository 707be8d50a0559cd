"""A plain snakeMQ protocol-1 peer, speaking the frames of the original (Python snakeMQ 1.6) by
hand: PROTOCOL_VERSION, IDENTIFICATION, MESSAGE, PING/PONG. It never announces or sends
acknowledgements, exactly like an original peer.

usage: plain_peer.py listen IDENTITY COUNT
           prints "PORT n", serves one connection, prints
           "MSG <sender> <uuid hex> <ttl or inf> <flags> <text>" for COUNT messages, then closes
       plain_peer.py send IDENTITY PORT TTL|inf FLAGS TEXT...
           connects to 127.0.0.1:PORT, sends each TEXT as a MESSAGE, waits for the peer's
           IDENTIFICATION, prints "IDENT <peer>" and "SENT n", then closes
"""
import socket
import struct
import sys
import uuid

PROTOCOL_VERSION, INCOMPATIBLE_PROTOCOL, IDENTIFICATION, MESSAGE, PING, PONG = 0, 1, 2, 3, 4, 5
TTL_INFINITE = 0xFFFFFFFF


def read_exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError("connection closed")
        data += chunk
    return data


def read_frame(sock):
    (length,) = struct.unpack(">I", read_exactly(sock, 4))
    return read_exactly(sock, length)


def send_frame(sock, frame):
    sock.sendall(struct.pack(">I", len(frame)) + frame)


def handshake(sock, identity):
    send_frame(sock, struct.pack(">BI", PROTOCOL_VERSION, 1))
    send_frame(sock, struct.pack(">B", IDENTIFICATION) + identity.encode("utf-8"))


def next_frame(sock, peer):
    """Reads frames, answering PINGs and noting the peer's identity, until a MESSAGE or IDENTIFICATION."""
    while True:
        frame = read_frame(sock)
        kind = frame[0]
        if kind == PING:
            send_frame(sock, struct.pack(">B", PONG))
        elif kind == PROTOCOL_VERSION:
            (version,) = struct.unpack(">I", frame[1:5])
            if version != 1:
                raise ValueError("peer speaks protocol %d" % version)
        elif kind == IDENTIFICATION:
            peer["identity"] = frame[1:].decode("utf-8")
            return kind, frame
        elif kind == MESSAGE:
            return kind, frame
        # anything else (the Java peer's CAPABILITIES, 0x40) is ignored, as the original does


def listen(identity, count):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    print("PORT", server.getsockname()[1], flush=True)
    server.settimeout(30)
    sock, _ = server.accept()
    sock.settimeout(30)
    handshake(sock, identity)
    peer = {}
    received = 0
    while received < count:
        kind, frame = next_frame(sock, peer)
        if kind != MESSAGE:
            continue
        message_uuid = frame[1:17]
        ttl, flags = struct.unpack(">II", frame[17:25])
        text = frame[25:].decode("utf-8")
        print("MSG", peer.get("identity"), message_uuid.hex(), "inf" if ttl == TTL_INFINITE else ttl, flags, text,
              flush=True)
        received += 1
    sock.close()
    server.close()


def send(identity, port, ttl, flags, texts):
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    handshake(sock, identity)
    for text in texts:
        frame = struct.pack(">B", MESSAGE) + uuid.uuid4().bytes + struct.pack(">II", ttl, flags) + text.encode("utf-8")
        send_frame(sock, frame)
    peer = {}
    while "identity" not in peer:
        next_frame(sock, peer)
    print("IDENT", peer["identity"], flush=True)
    print("SENT", len(texts), flush=True)
    sock.shutdown(socket.SHUT_WR)
    sock.close()


def main(argv):
    if argv[1] == "listen":
        listen(argv[2], int(argv[3]))
    elif argv[1] == "send":
        ttl = TTL_INFINITE if argv[4] == "inf" else int(argv[4])
        send(argv[2], int(argv[3]), ttl, int(argv[5]), argv[6:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
