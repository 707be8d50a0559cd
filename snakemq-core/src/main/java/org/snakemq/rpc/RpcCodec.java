package org.snakemq.rpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.razorvine.pickle.PickleException;

/**
 * The wire format of the original {@code snakemq.rpc}: {@code rpcreq} or {@code rpcrep} followed by a
 * pickled dict. Writes pickle protocol 2, reads protocols 0 to 5. Stateless and thread-safe.
 */
final class RpcCodec {

    static final String REQUEST_PREFIX = "rpcreq";
    static final String REPLY_PREFIX = "rpcrep";
    private static final byte[] REQUEST_BYTES = REQUEST_PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLY_BYTES = REPLY_PREFIX.getBytes(StandardCharsets.US_ASCII);

    private RpcCodec() {
    }

    static byte[] encodeRequest(RpcRequest request) {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("command", request.signal() ? "signal" : "call");
        dict.put("object", request.object());
        dict.put("method", request.method());
        dict.put("args", request.args().toArray());
        dict.put("kwargs", request.kwargs());
        if (request.reqId() != null) {
            dict.put("req_id", request.reqId());
        }
        return encode(REQUEST_BYTES, dict);
    }

    static byte[] encodeReturn(byte[] reqId, Object value) {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("ok", Boolean.TRUE);
        dict.put("return", value);
        dict.put("req_id", reqId);
        return encode(REPLY_BYTES, dict);
    }

    /**
     * @param exception the exception as the peer will see it, see {@link PythonExceptions#toPython}
     * @param format    the traceback lines ({@code exception_format})
     */
    static byte[] encodeException(byte[] reqId, PyObject exception, List<String> format) {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("ok", Boolean.FALSE);
        dict.put("exception", exception);
        dict.put("exception_format", format);
        dict.put("req_id", reqId);
        return encode(REPLY_BYTES, dict);
    }

    static boolean isRequest(byte[] data) {
        return startsWith(data, REQUEST_BYTES);
    }

    static boolean isReply(byte[] data) {
        return startsWith(data, REPLY_BYTES);
    }

    /** @throws RpcProtocolException for a malformed pickle or a dict without the required fields */
    static RpcRequest decodeRequest(byte[] data) {
        Map<?, ?> dict = decode(data, REQUEST_BYTES);
        Object command = dict.get("command");
        boolean signal;
        if ("call".equals(command)) {
            signal = false;
        } else if ("signal".equals(command)) {
            signal = true;
        } else {
            throw new RpcProtocolException("unknown RPC command " + command);
        }
        byte[] reqId = reqId(dict.get("req_id"), !signal);
        return new RpcRequest(signal, string(dict, "object"), string(dict, "method"),
                sequence(dict.get("args")), kwargs(dict.get("kwargs")), reqId);
    }

    /**
     * Reads only the request id of a request that failed to decode otherwise, so that the caller can
     * still be answered; null when even that is not possible.
     */
    static byte[] salvageReqId(byte[] data) {
        try {
            Map<?, ?> dict = decode(data, REQUEST_BYTES);
            return "call".equals(dict.get("command")) ? reqId(dict.get("req_id"), true) : null;
        } catch (RpcProtocolException e) {
            return null;
        }
    }

    static RpcReply decodeReply(byte[] data) {
        Map<?, ?> dict = decode(data, REPLY_BYTES);
        byte[] reqId = reqId(dict.get("req_id"), true);
        Object ok = dict.get("ok");
        if (Boolean.TRUE.equals(ok)) {
            return new RpcReply(reqId, dict.get("return"), null);
        }
        if (Boolean.FALSE.equals(ok)) {
            return new RpcReply(reqId, null, PythonExceptions.toRemote(dict.get("exception"), dict.get("exception_format")));
        }
        throw new RpcProtocolException("reply without a boolean 'ok'");
    }

    private static byte[] encode(byte[] prefix, Map<String, Object> dict) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try {
            new RpcPickler().dump(prefix, dict, out);
        } catch (IOException | PickleException e) {
            throw new RpcProtocolException("cannot pickle: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            // the library's own guard against a recursive structure (depth > 1000)
            throw new RpcProtocolException("cannot pickle a recursive or too deeply nested value");
        }
        return out.toByteArray();
    }

    private static Map<?, ?> decode(byte[] data, byte[] prefix) {
        if (!startsWith(data, prefix)) {
            throw new RpcProtocolException("message does not start with " + new String(prefix, StandardCharsets.US_ASCII));
        }
        Object value;
        try {
            value = new RpcUnpickler().loads(data, prefix.length, data.length - prefix.length);
        } catch (IOException | RuntimeException e) {
            throw new RpcProtocolException("malformed pickle: " + e, e);
        } catch (StackOverflowError e) {
            // hashing a hostile, deeply nested dict key or set member recurses; the stack unwinds to here
            throw new RpcProtocolException("malformed pickle: nested too deeply");
        }
        if (!(value instanceof Map<?, ?> dict)) {
            throw new RpcProtocolException("pickle is not a dict but " + (value == null ? "None" : value.getClass().getName()));
        }
        return dict;
    }

    private static String string(Map<?, ?> dict, String key) {
        if (dict.get(key) instanceof String s) {
            return s;
        }
        throw new RpcProtocolException("'" + key + "' must be a str");
    }

    private static byte[] reqId(Object value, boolean required) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof String text) {
            // a Python 2 peer's str: its bytes, one per char
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
        if (value == null && !required) {
            return null;
        }
        throw new RpcProtocolException("'req_id' must be bytes");
    }

    private static List<Object> sequence(Object value) {
        if (value instanceof Object[] tuple) {
            return Arrays.asList(tuple);
        }
        if (value instanceof List<?> list) {
            return List.copyOf(list);
        }
        if (value == null) {
            return List.of();
        }
        throw new RpcProtocolException("'args' must be a tuple");
    }

    private static Map<String, Object> kwargs(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new RpcProtocolException("'kwargs' must be a dict");
        }
        Map<String, Object> kwargs = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new RpcProtocolException("'kwargs' keys must be str");
            }
            kwargs.put(name, e.getValue());
        }
        return kwargs;
    }

    /** Untyped results (dynamic calls) are easier to use with tuples as lists. */
    static Object tuplesAsLists(Object value) {
        return tuplesAsLists(value, 0);
    }

    private static Object tuplesAsLists(Object value, int depth) {
        if (depth > ValueConverter.MAX_DEPTH) {
            throw new IllegalArgumentException("value nested deeper than " + ValueConverter.MAX_DEPTH + " levels");
        }
        if (value instanceof Object[] tuple) {
            return tuplesAsLists(Arrays.asList(tuple), depth);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(tuplesAsLists(item, depth + 1)));
            return copy;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new HashMap<>();
            map.forEach((k, v) -> copy.put(k, tuplesAsLists(v, depth + 1)));
            return copy;
        }
        return value;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }
}
