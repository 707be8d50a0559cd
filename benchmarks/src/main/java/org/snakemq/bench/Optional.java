package org.snakemq.bench;

/** Parts of snakemq-core that land later are looked up by name, so the benchmark builds without them. */
final class Optional {

    static final String SQLITE_STORAGE = "org.snakemq.storage.SqliteQueuesStorage";
    static final String RPC_SERVER = "org.snakemq.rpc.RpcServer";
    static final String RPC_CLIENT = "org.snakemq.rpc.RpcClient";

    private Optional() {
    }

    static boolean present(String className) {
        try {
            Class.forName(className, false, Optional.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static Class<?> load(String className) {
        try {
            return Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is not in this build of snakemq-core", e);
        }
    }
}
