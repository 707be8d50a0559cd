"""Reads and writes a queue file the way Python snakeMQ 1.6 (snakemq/storage/sqlite.py) does.

Usage: original_sqlite_storage.py write FILE | read FILE | delete FILE UUID_HEX
  write   creates the table and pushes three messages, as the original's push() does
  read    opens like the original (format check, VACUUM) and prints its queues as JSON
  delete  deletes one message by UUID, as the original's delete_items() does
"""

import json
import sqlite3
import sys
from binascii import a2b_hex, b2a_hex

MESSAGES = [
    ("alice", bytes(range(16)), b"one", None, 1),
    ("bob", bytes(range(16, 32)), b"\x00\xff two", 3, 1),
    ("alice", bytes(range(32, 48)), b"three", 2.5, 1),
]


def open_like_original(filename):
    conn = sqlite3.connect(filename)
    crs = conn.cursor()
    try:
        conn.rollback()
        crs.execute("SELECT count(1) FROM items LIMIT 1")
    except Exception:
        conn.rollback()
        with conn:
            crs.execute("CREATE TABLE items (queue_name VARCHAR(50), uuid VARCHAR(32), "
                        "data BLOB, ttl REAL, flags INTEGER)")
    with conn:
        crs.execute("VACUUM")
    return conn, crs


def write(filename):
    conn, crs = open_like_original(filename)
    for queue_name, uuid, data, ttl, flags in MESSAGES:
        with conn:
            crs.execute("INSERT INTO items (queue_name, uuid, data, ttl, flags) VALUES (?, ?, ?, ?, ?)",
                        (queue_name, b2a_hex(uuid), data, ttl, flags))
    conn.close()


def read(filename):
    conn, crs = open_like_original(filename)
    crs.execute("SELECT queue_name FROM items GROUP BY queue_name")
    queues = {}
    for (queue_name,) in crs.fetchall():
        crs.execute("SELECT uuid, data, ttl, flags FROM items WHERE queue_name = ?", (queue_name,))
        queues[queue_name] = [
            {"uuid": b2a_hex(a2b_hex(uuid)).decode(), "data": bytes(data).hex(), "ttl": ttl, "flags": flags}
            for uuid, data, ttl, flags in crs.fetchall()]
    conn.close()
    print(json.dumps(queues, sort_keys=True))


def delete(filename, uuid_hex):
    conn, crs = open_like_original(filename)
    with conn:
        crs.execute("DELETE FROM items WHERE uuid = ?", (b2a_hex(a2b_hex(uuid_hex)),))
        print(crs.rowcount)
    conn.close()


if __name__ == "__main__":
    command, filename = sys.argv[1], sys.argv[2]
    if command == "write":
        write(filename)
    elif command == "read":
        read(filename)
    elif command == "delete":
        delete(filename, sys.argv[3])
    else:
        sys.exit("unknown command " + command)
