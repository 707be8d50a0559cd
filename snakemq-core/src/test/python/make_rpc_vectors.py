#!/usr/bin/env python3
"""Writes RPC golden vectors: pickles made by Python 3's own pickle module.

Usage (from the repository root):
    python3 snakemq-core/src/test/python/make_rpc_vectors.py snakemq-core/src/test/resources/rpc-vectors

For every protocol 2..5 it writes three files, each the message data as the
original snakemq.rpc sends it (prefix + pickle):
    request-p<N>.bin        a call request
    reply-value-p<N>.bin    a reply carrying a value of many types
    reply-exception-p<N>.bin a reply carrying an exception with its traceback
RpcGoldenVectorsTest reads them and checks every field.
"""
import os
import pickle
import sys
import traceback

REQ_ID = bytes(range(16))

REQUEST = {
    "command": "call",
    "object": "myinstance",
    "method": "get_fo",
    "args": (1, "two", b"\x00\x01\xfe\xff", None),
    "kwargs": {"flag": True, "ratio": 0.5},
    "req_id": REQ_ID,
}

VALUE = {
    "small": 7,
    "negative": -300,
    "int32": 2**31 - 1,
    "int64": -(2**63),
    "big": 2**100 + 1,
    "float": 3.25,
    "text": "h\u00e9llo \u20ac",
    "bytes": b"\x00\x80\xff raw",
    "empty_bytes": b"",
    "none": None,
    "yes": True,
    "no": False,
    "list": [1, "a", None],
    "tuple": (1, 2.5, "x"),
    "nested": {"inner": [{"k": (b"v",)}], "n": [[1, 2], [3]]},
}


# compiled under a fixed file name so the traceback text does not depend on where this runs
_RAISER = compile('def raiser():\n    raise ValueError("bad value 42")\n', "remote_module.py", "exec")


def make_exception():
    scope = {}
    exec(_RAISER, scope)
    try:
        scope["raiser"]()
    except ValueError as exc:
        # skip this frame: only the fixed-name frame stays in the text
        return exc, traceback.format_exception(type(exc), exc, exc.__traceback__.tb_next)


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    exc, exc_format = make_exception()
    for proto in (2, 3, 4, 5):
        files = {
            "request": b"rpcreq" + pickle.dumps(REQUEST, protocol=proto),
            "reply-value": b"rpcrep" + pickle.dumps(
                {"ok": True, "return": VALUE, "req_id": REQ_ID}, protocol=proto),
            "reply-exception": b"rpcrep" + pickle.dumps(
                {"ok": False, "exception": exc, "exception_format": exc_format,
                 "req_id": REQ_ID}, protocol=proto),
        }
        for name, data in files.items():
            with open(os.path.join(out_dir, "%s-p%d.bin" % (name, proto)), "wb") as f:
                f.write(data)
    print("wrote vectors to", out_dir)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "rpc-vectors")
