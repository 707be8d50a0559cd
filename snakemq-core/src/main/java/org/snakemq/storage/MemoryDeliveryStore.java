package org.snakemq.storage;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Dead letters and inbox records in memory, for tests and for peers without storage: dead letters
 * are kept until the process ends, and the inbox does not survive a restart. Thread-safe.
 */
public final class MemoryDeliveryStore implements DeadLetterStore, InboxStore {

    private final int inboxPerSender;
    private final TreeMap<Long, DeadLetter> letters = new TreeMap<>();
    private final Map<String, ArrayDeque<UUID>> inbox = new LinkedHashMap<>();
    private long nextId = 1;

    /** Keeps at most 16,384 inbox records per sender. */
    public MemoryDeliveryStore() {
        this(16_384);
    }

    public MemoryDeliveryStore(int inboxPerSender) {
        if (inboxPerSender <= 0) {
            throw new IllegalArgumentException("inboxPerSender must be positive");
        }
        this.inboxPerSender = inboxPerSender;
    }

    @Override
    public synchronized DeadLetter add(DeadLetter letter) {
        DeadLetter stored = letter.withId(nextId++);
        letters.put(stored.id(), stored);
        return stored;
    }

    @Override
    public synchronized List<DeadLetter> list(int limit) {
        List<DeadLetter> out = new ArrayList<>();
        for (DeadLetter letter : letters.values()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(letter);
        }
        return out;
    }

    @Override
    public synchronized Optional<DeadLetter> get(long id) {
        return Optional.ofNullable(letters.get(id));
    }

    @Override
    public synchronized boolean delete(long id) {
        return letters.remove(id) != null;
    }

    @Override
    public synchronized long count() {
        return letters.size();
    }

    @Override
    public synchronized Map<String, List<UUID>> loadCompleted(int perSender) {
        Map<String, List<UUID>> out = new LinkedHashMap<>();
        inbox.forEach((sender, ids) -> {
            List<UUID> all = new ArrayList<>(ids);
            out.put(sender, List.copyOf(all.subList(Math.max(0, all.size() - perSender), all.size())));
        });
        return out;
    }

    @Override
    public synchronized CompletableFuture<Void> record(String sender, UUID id) {
        ArrayDeque<UUID> ids = inbox.computeIfAbsent(sender, k -> new ArrayDeque<>());
        ids.addLast(id);
        while (ids.size() > inboxPerSender) {
            ids.removeFirst();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "MemoryDeliveryStore";
    }
}
