package org.snakemq.rpc;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Remembers the replies to the most recent request ids, so a request sent again after a reconnect is
 * answered from here instead of running the method twice. A repeat that arrives while the first is
 * still running gets the same pending future. Bounded in entries and in reply bytes: the oldest
 * finished entries are forgotten first, a request still running is never forgotten (its repeat must
 * not run it a second time), and a reply larger than the whole byte bound is not kept at all (a repeat
 * of that request runs it again). Thread-safe; the lock is held only for map operations.
 */
final class ReplyCache {

    /** Completed with the encoded reply, or with null when there is nothing to send (a signal). */
    static final class Entry {
        final CompletableFuture<byte[]> reply = new CompletableFuture<>();
        /** Guarded by the cache. */
        private boolean finished;
        /** Guarded by the cache. */
        private int bytes;
        /** Guarded by the cache: a repeat already waits for the reply. */
        private boolean repeatWaiting;
    }

    private final Map<RequestId, Entry> entries = new LinkedHashMap<>();
    private int maxEntries;
    private long maxBytes;
    private long bytes;

    ReplyCache(int maxEntries, long maxBytes) {
        setLimits(maxEntries, maxBytes);
    }

    synchronized void setLimits(int maxEntries, long maxBytes) {
        if (maxEntries < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("reply cache limits must not be negative");
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        trim();
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
        trim();
        return null;
    }

    /**
     * Whether a repeat of the request behind {@code entry} should wait for its reply: true for the
     * first repeat, false for later ones while one already waits (one reply is enough, messaging queues
     * it for the peer), so a peer that repeats an id in a loop adds nothing to wait for.
     */
    synchronized boolean claimRepeat(Entry entry) {
        if (entry.finished) {
            return true;
        }
        if (entry.repeatWaiting) {
            return false;
        }
        entry.repeatWaiting = true;
        return true;
    }

    /**
     * Completes {@code entry} with its reply (null: nothing to send), accounting for its bytes while it
     * is kept, and forgets the oldest finished entries beyond the bounds. Dependents of the future run
     * after the lock is released.
     *
     * @param key null for a request without id (never stored)
     */
    void complete(RequestId key, Entry entry, byte[] reply) {
        synchronized (this) {
            entry.finished = true;
            entry.repeatWaiting = false;
            if (key != null && entries.get(key) == entry) {
                int size = reply == null ? 0 : reply.length;
                if (size > maxBytes) {
                    entries.remove(key);
                } else {
                    entry.bytes = size;
                    bytes += size;
                    trim();
                }
            }
        }
        entry.reply.complete(reply);
    }

    synchronized void remove(RequestId key) {
        Entry removed = entries.remove(key);
        if (removed != null) {
            bytes -= removed.bytes;
        }
    }

    synchronized int size() {
        return entries.size();
    }

    /** Bytes of the replies kept. */
    synchronized long bytes() {
        return bytes;
    }

    private void trim() {
        if (entries.size() <= maxEntries && bytes <= maxBytes) {
            return;
        }
        Iterator<Entry> it = entries.values().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && it.hasNext()) {
            Entry entry = it.next();
            if (entry.finished) {
                it.remove();
                bytes -= entry.bytes;
            }
        }
    }
}
