package org.snakemq.rpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Remembers the replies to the most recent request ids, so a request sent again after a reconnect is
 * answered from here instead of running the method twice. A repeat that arrives while the first is
 * still running gets the same pending future. Bounded: the oldest finished entries are forgotten first.
 * Thread-safe; the lock is held only for map operations.
 */
final class ReplyCache {

    /** Completed with the encoded reply, or with null when there is nothing to send (a signal). */
    static final class Entry {
        final CompletableFuture<byte[]> reply = new CompletableFuture<>();
    }

    private final int capacity;
    private final Map<RequestId, Entry> entries = new LinkedHashMap<>();

    ReplyCache(int capacity) {
        this.capacity = capacity;
    }

    /**
     * @return null when the key is new (a fresh entry is then stored under {@code fresh}), otherwise
     *         the entry of the earlier request with that id
     */
    synchronized Entry putIfAbsent(RequestId key, Entry fresh) {
        Entry existing = entries.get(key);
        if (existing != null) {
            return existing;
        }
        entries.put(key, fresh);
        if (entries.size() > capacity) {
            var it = entries.values().iterator();
            // a request still running stays, so its repeat cannot run it a second time
            while (entries.size() > capacity && it.hasNext()) {
                if (it.next().reply.isDone()) {
                    it.remove();
                }
            }
        }
        return null;
    }

    synchronized void remove(RequestId key) {
        entries.remove(key);
    }

    synchronized int size() {
        return entries.size();
    }
}
