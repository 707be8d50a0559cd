#!/usr/bin/env python3
"""Reads RPC messages written by the Java codec and checks them the way the original snakemq.rpc uses them.

Usage: check_java_pickles.py <request.bin> <reply-value.bin> <reply-exception.bin> <reply-noinstance.bin>
                             <reply-denied.bin> <reply-busy.bin>
Prints one "ok ..." line per check and exits non-zero (with the reason) on the first failure.
"""
import pickle
import sys
import types

# the original client has snakemq.rpc imported; a stand-in with its exception classes is enough here
rpc = types.ModuleType("snakemq.rpc")
exec("class Error(Exception): pass\nclass NoInstanceError(Error): pass\nclass NoMethodError(Error): pass", rpc.__dict__)
snakemq = types.ModuleType("snakemq")
snakemq.rpc = rpc
sys.modules["snakemq"] = snakemq
sys.modules["snakemq.rpc"] = rpc


def load(path, prefix):
    with open(path, "rb") as f:
        data = f.read()
    assert data.startswith(prefix), "prefix %r missing" % prefix
    return pickle.loads(data[len(prefix):])


def check(condition, what):
    if not condition:
        print("FAILED: " + what)
        sys.exit(1)
    print("ok " + what)


def main(request_path, value_path, exception_path, noinstance_path, denied_path, busy_path):
    req = load(request_path, b"rpcreq")
    check(req["command"] == "call", "command is call")
    check(type(req["req_id"]) is bytes and len(req["req_id"]) == 16, "request req_id is 16 bytes of type bytes")
    waiting = {req["req_id"]}
    results = {req["req_id"]: 1}
    check(req["req_id"] in waiting and req["req_id"] in results, "req_id is hashable (set member, dict key)")
    check(type(req["args"]) is tuple, "args is a tuple")
    check(type(req["args"][0]) is bytes and req["args"][0] == b"\x00\x80\xff", "bytes argument is bytes")
    check(req["args"][1] == b"", "empty bytes argument is b''")
    check(req["args"][2] == 2 ** 70 and req["args"][3] == -5 and req["args"][4] == "h\u00e9llo \u20ac", "numbers and text")
    check(type(req["kwargs"]) is dict and req["kwargs"] == {"flag": True}, "kwargs is a dict")

    rep = load(value_path, b"rpcrep")
    check(rep["ok"] is True and type(rep["req_id"]) is bytes, "value reply ok with bytes req_id")
    value = rep["return"]
    check(value["point"] == {"x": 1, "y": -2.5, "name": "p"}, "record arrives as a dict")
    check(value["list"] == [1, None, True] and value["ints"] == [1, 2, 3], "lists")
    check(type(value["blob"]) is bytes and value["blob"] == bytes(range(256)), "all 256 byte values as bytes")
    check(value["nested"] == {"k": [{"b": b"v"}]}, "nested containers")
    check(value["set"] == {1, 2} and type(value["set"]) is set, "set")
    check(value["enum"] == "SECOND", "enum as its name")

    rep = load(exception_path, b"rpcrep")
    exc = rep["exception"]
    check(rep["ok"] is False and type(rep["req_id"]) is bytes, "exception reply with bytes req_id")
    check(isinstance(exc, Exception) and type(exc) is RuntimeError, "exception is a RuntimeError instance")
    check("java.lang.IllegalStateException: boom" in str(exc), "message names the Java class and message")
    check(exc.java_class == "java.lang.IllegalStateException", "java_class attribute")
    check(isinstance(rep["exception_format"], list) and all(isinstance(l, str) for l in rep["exception_format"]),
          "exception_format is a list of str")
    setattr(exc, "__remote_traceback__", rep["exception_format"])
    try:
        raise exc
    except RuntimeError as raised:
        check(raised.__remote_traceback__[0].startswith("java.lang.IllegalStateException"), "raised with traceback attached")

    rep = load(noinstance_path, b"rpcrep")
    check(isinstance(rep["exception"], rpc.NoInstanceError) and rep["exception"].args == ("missing",),
          "unknown object answered with snakemq.rpc.NoInstanceError")

    rep = load(denied_path, b"rpcrep")
    exc = rep["exception"]
    check(rep["ok"] is False and type(exc) is PermissionError, "refused call answered with PermissionError")
    check(str(exc) == "peer 'mallory' may not call clock.destroy", "PermissionError names peer and method")
    try:
        raise exc
    except PermissionError:
        check(True, "PermissionError raised and caught as such")

    rep = load(busy_path, b"rpcrep")
    exc = rep["exception"]
    check(type(exc) is RuntimeError and exc.java_class == "org.snakemq.rpc.ServerBusyException",
          "busy server answered with RuntimeError, java_class ServerBusyException")
    check("try again later" in str(exc), "busy message says to try again")
    print("all checks passed")


if __name__ == "__main__":
    main(*sys.argv[1:7])
