package org.snakemq.testing;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A list that callbacks append to from the loop thread while tests read it; reads see a snapshot. */
public final class Recorded<T> extends AbstractList<T> {

    private final List<T> items = new ArrayList<>();

    @Override
    public synchronized boolean add(T item) {
        return items.add(item);
    }

    @Override
    public synchronized T get(int index) {
        return items.get(index);
    }

    @Override
    public synchronized int size() {
        return items.size();
    }

    @Override
    public synchronized boolean contains(Object o) {
        return items.contains(o);
    }

    @Override
    public synchronized void clear() {
        items.clear();
    }

    /** A copy of the current items. */
    public synchronized List<T> snapshot() {
        return new ArrayList<>(items);
    }

    @Override
    public Iterator<T> iterator() {
        return snapshot().iterator();
    }
}
