package org.snakemq.storage;

/** The shared behaviour, over the memory storage (whose close keeps the rows, as a restart would). */
class MemoryQueuesStorageTest extends QueuesStorageContract {

    private final MemoryQueuesStorage store = new MemoryQueuesStorage();

    @Override
    protected QueuesStorage open() {
        return store;
    }
}
