package org.snakemq.storage;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.snakemq.message.Message;

/**
 * The child process of {@link SqliteCrashTest}: pushes from several threads and prints
 * "key uuid" for each push once it returned, until it is killed (or a minute passed).
 */
public final class PushUntilKilled {

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "US-ASCII");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        SqliteQueuesStorage storage = new SqliteQueuesStorage(Path.of(args[0]));
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            String queue = "peer" + t;
            threads[t] = new Thread(() -> {
                for (int i = 0; System.nanoTime() < deadline; i++) {
                    Message m = Message.of(queue + ":" + i).persistent();
                    long key = storage.push(queue, m);
                    synchronized (out) {
                        out.println(key + " " + m.uuid());
                        out.flush();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        storage.close();
    }
}
