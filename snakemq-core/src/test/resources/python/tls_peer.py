"""A Python peer for the TLS interop test: wraps a socket the way Python snakeMQ 1.6 does
(ssl.wrap_socket with keyfile, certfile, ca_certs, cert_reqs) and exchanges one length-prefixed
frame with a Java Link.

usage: tls_peer.py client HOST PORT KEY CERT CA MESSAGE
       tls_peer.py server KEY CERT CA MESSAGE      (prints "PORT n", serves one connection)
"""
import socket
import ssl
import struct
import sys
import warnings


def wrap(sock, server_side, key, cert, ca):
    if hasattr(ssl, "wrap_socket"):
        # exactly the original's call (snakemq/link.py); removed from Python 3.12
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            print("API ssl.wrap_socket", flush=True)
            return ssl.wrap_socket(sock, server_side=server_side, keyfile=key, certfile=cert,
                                   cert_reqs=ssl.CERT_REQUIRED, ssl_version=ssl.PROTOCOL_SSLv23,
                                   ca_certs=ca)
    # the same settings through an SSLContext
    print("API SSLContext", flush=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if server_side else ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_cert_chain(cert, key)
    context.load_verify_locations(ca)
    return context.wrap_socket(sock, server_side=server_side)


def read_exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError("connection closed after %d of %d bytes" % (len(data), n))
        data += chunk
    return data


def exchange(sock, message):
    peer = dict(x[0] for x in sock.getpeercert()["subject"])
    print("PEER_CN", peer.get("commonName"), flush=True)
    print("VERSION", sock.version(), flush=True)
    payload = message.encode("utf-8")
    sock.sendall(struct.pack(">I", len(payload)) + payload)
    (length,) = struct.unpack(">I", read_exactly(sock, 4))
    print("GOT", read_exactly(sock, length).decode("utf-8"), flush=True)


def main(argv):
    if argv[1] == "client":
        host, port, key, cert, ca, message = argv[2], int(argv[3]), argv[4], argv[5], argv[6], argv[7]
        raw = socket.create_connection((host, port), timeout=10)
        sock = wrap(raw, False, key, cert, ca)
        exchange(sock, message)
        sock.close()
    else:
        key, cert, ca, message = argv[2], argv[3], argv[4], argv[5]
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.settimeout(10)
        print("PORT", server.getsockname()[1], flush=True)
        raw, _ = server.accept()
        raw.settimeout(10)
        sock = wrap(raw, True, key, cert, ca)
        exchange(sock, message)
        sock.close()
        server.close()
    print("DONE", flush=True)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except Exception as e:  # report, and fail with a status the test can see
        print("ERROR", type(e).__name__, e, flush=True)
        sys.exit(1)
