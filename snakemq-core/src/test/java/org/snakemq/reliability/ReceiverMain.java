package org.snakemq.reliability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.snakemq.link.Link;
import org.snakemq.link.LinkOptions;
import org.snakemq.messaging.Messaging;
import org.snakemq.packeter.Packeter;

/**
 * A receiving peer for the child-JVM scenarios. Connects to {@code host:port} as {@code identity}
 * and, for every message, writes {@code GOT <sender> <text>} to stdout <em>inside</em> the receive
 * callback, before it returns (so before the message is acknowledged). An optional per-message delay
 * makes it a slow consumer. Commands on stdin: {@code HEAP} answers {@code HEAP <bytes used after GC>};
 * end of input stops the peer.
 *
 * <p>Arguments: identity host port [slowMicros]
 */
public final class ReceiverMain {

    private ReceiverMain() {
    }

    /** Writes each line with one unbuffered write: in the file even if the process is killed right after. */
    static final class Lines {
        private final FileOutputStream out = new FileOutputStream(FileDescriptor.out);

        synchronized void println(String line) {
            try {
                out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String identity = args[0];
        InetSocketAddress address = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        long slowNanos = args.length > 3 ? Long.parseLong(args[3]) * 1000 : 0;
        Lines out = new Lines();
        Link link = new Link(LinkOptions.defaults().withReconnectInterval(Duration.ofMillis(100)));
        Messaging messaging = new Messaging(identity, "", new Packeter(link));
        messaging.onConnect().add((c, peer) -> out.println("UP " + peer));
        messaging.onMessageReceived().add((c, peer, message) -> {
            if (slowNanos > 0) {
                LockSupport.parkNanos(slowNanos); // the slow consumer's work
            }
            out.println("GOT " + peer + " " + message.text());
        });
        link.addConnector(address);
        link.start();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("HEAP")) {
                    System.gc();
                    System.gc();
                    out.println("HEAP " + memory.getHeapMemoryUsage().getUsed());
                }
            }
        }
        link.close();
        messaging.close();
    }
}
