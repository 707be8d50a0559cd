package org.snakemq.rpc;

import java.util.List;
import java.util.Map;

/**
 * A decoded {@code rpcreq} message.
 *
 * @param signal  true for {@code "signal"} (no reply), false for {@code "call"}
 * @param object  the registered object's name
 * @param method  the method name
 * @param args    positional arguments as unpickled
 * @param kwargs  keyword arguments as unpickled
 * @param reqId   the request id; always present for calls, may be null for signals
 */
record RpcRequest(boolean signal, String object, String method, List<Object> args, Map<String, Object> kwargs,
                  byte[] reqId) {
}
