package org.snakemq.messaging;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakemq.callback.Registration;
import org.snakemq.link.Connection;
import org.snakemq.message.Message;

/**
 * Routes received messages to listeners by a regular expression matched at the start of the data
 * (the bytes are seen as ISO-8859-1 characters, so {@code "rpcreq"} matches the bytes of that
 * prefix). Every matching route is called; RPC is built on it.
 *
 * <p>Threads: listeners run on the link's loop thread.
 */
public final class ReceiveHook {

    private static final Logger log = LoggerFactory.getLogger("snakemq.messaging");

    private final Messaging messaging;
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    public ReceiveHook(Messaging messaging) {
        this.messaging = Objects.requireNonNull(messaging, "messaging");
        messaging.onMessageReceived().add(this::route);
    }

    public Messaging messaging() {
        return messaging;
    }

    /** Calls {@code listener} for every received message whose data starts with a match of {@code regex}. */
    public Registration register(String regex, MessageListener listener) {
        Route route = new Route(Pattern.compile(regex), Objects.requireNonNull(listener, "listener"));
        routes.add(route);
        return () -> routes.remove(route);
    }

    /**
     * Whether some route takes this message; lets a {@code Deliveries} skip what the hook serves
     * ({@code builder.skip((sender, message) -> hook.routes(message))}). Thread-safe.
     */
    public boolean routes(Message message) {
        CharSequence text = new Latin1View(message.data());
        for (Route route : routes) {
            if (route.pattern.matcher(text).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    private void route(Connection connection, String identity, Message message) {
        CharSequence text = new Latin1View(message.data());
        for (Route route : routes) {
            if (route.pattern.matcher(text).lookingAt()) {
                try {
                    route.listener.onMessage(connection, identity, message);
                } catch (RuntimeException e) {
                    log.error("receive hook {} failed on a message from {}", route.pattern, identity, e);
                }
            }
        }
    }

    private record Route(Pattern pattern, MessageListener listener) {
    }

    /** The bytes as ISO-8859-1 characters, without copying. */
    private record Latin1View(byte[] bytes, int start, int end) implements CharSequence {
        Latin1View(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        @Override
        public int length() {
            return end - start;
        }

        @Override
        public char charAt(int index) {
            return (char) (bytes[start + index] & 0xFF);
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return new Latin1View(bytes, start + from, start + to);
        }

        @Override
        public String toString() {
            return new String(bytes, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
