package org.snakemq.rpc;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One dynamic call being put together: positional and keyword arguments, a timeout, then
 * {@link #call}, {@link #callAsync} or {@link #signal}. Created by {@link RpcClient#newCall}; not
 * thread-safe, but each terminal method may be used more than once (each sends a new request).
 */
public final class RpcCall {

    private final RpcClient client;
    private final String peer;
    private final String object;
    private final String method;
    private final List<Object> args = new ArrayList<>();
    private final Map<String, Object> kwargs = new LinkedHashMap<>();
    private Duration timeout;

    RpcCall(RpcClient client, String peer, String object, String method) {
        this.client = client;
        this.peer = peer;
        this.object = object;
        this.method = method;
    }

    /** Appends positional arguments ({@code args((Object[]) null)} appends one None). */
    public RpcCall args(Object... values) {
        if (values == null) {
            args.add(null);
        } else {
            args.addAll(Arrays.asList(values));
        }
        return this;
    }

    /** Adds a keyword argument (a Java server binds it to the parameter of that name). */
    public RpcCall kwarg(String name, Object value) {
        kwargs.put(name, value);
        return this;
    }

    /** This call's timeout; null uses the client's default. */
    public RpcCall timeout(Duration value) {
        this.timeout = value;
        return this;
    }

    /** Calls and waits; the result unpickled as sent (tuples as lists). */
    public Object call() {
        return call(Object.class);
    }

    /** Calls and waits; the result converted to {@code type} (a Class or a generic Type). */
    public Object call(Type type) {
        return client.callSync(peer, object, method, snapshot(), kwargsSnapshot(), timeout, type);
    }

    /** Calls and waits; the result converted to {@code type}. */
    public <T> T call(Class<T> type) {
        @SuppressWarnings("unchecked")
        T value = (T) client.callSync(peer, object, method, snapshot(), kwargsSnapshot(), timeout, type);
        return value;
    }

    public CompletableFuture<Object> callAsync() {
        return callAsync(Object.class);
    }

    /** Calls without waiting; the future completes on the client's callback executor. */
    public CompletableFuture<Object> callAsync(Type type) {
        return client.callAsync(peer, object, method, snapshot(), kwargsSnapshot(), timeout, type);
    }

    /** Sends as a signal with this TTL (zero: only if connected now; null: never expires). */
    public void signal(Duration ttl) {
        client.sendSignal(peer, object, method, snapshot(), kwargsSnapshot(), ttl);
    }

    private Map<String, Object> kwargsSnapshot() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
    }

    private List<Object> snapshot() {
        return Collections.unmodifiableList(new ArrayList<>(args));
    }
}
