package org.snakemq.link;

import java.util.Objects;

import org.slf4j.Logger;

import org.snakemq.callback.Callbacks;

/**
 * The five callback lists of a {@link Transport}, kept together: a transport owns one of these and
 * returns it from {@link Transport#callbacks()}, and the interface serves {@code onConnect()},
 * {@code onReceive()} and the others from it. A decorator that passes some events through unchanged
 * shares those lists with the transport below it ({@link #withOnReceive}, {@link #withOnLoopPass}).
 *
 * <p>Threads: the transport fires every list on its loop thread; adding and removing listeners is
 * thread-safe ({@link Callbacks}).
 *
 * @param onConnect     a connection was made (after the TLS handshake for a TLS connection)
 * @param onDisconnect  a connection was closed, by either side or by an error
 * @param onReceive     bytes arrived on a connection
 * @param onReadyToSend a connection that was not writable can take more bytes again
 * @param onLoopPass    the loop made a pass
 */
public record TransportCallbacks(Callbacks<ConnectionListener> onConnect,
                                 Callbacks<ConnectionListener> onDisconnect,
                                 Callbacks<ReceiveListener> onReceive,
                                 Callbacks<ConnectionListener> onReadyToSend,
                                 Callbacks<Runnable> onLoopPass) {

    public TransportCallbacks {
        Objects.requireNonNull(onConnect, "onConnect");
        Objects.requireNonNull(onDisconnect, "onDisconnect");
        Objects.requireNonNull(onReceive, "onReceive");
        Objects.requireNonNull(onReadyToSend, "onReadyToSend");
        Objects.requireNonNull(onLoopPass, "onLoopPass");
    }

    /** Five new, empty lists whose failing listeners are logged to {@code log}. */
    public TransportCallbacks(Logger log) {
        this(new Callbacks<>("on_connect", log), new Callbacks<>("on_disconnect", log), new Callbacks<>("on_recv", log),
                new Callbacks<>("on_ready_to_send", log), new Callbacks<>("on_loop_pass", log));
    }

    /** The same lists, but {@code onReceive} in place of this one's. */
    public TransportCallbacks withOnReceive(Callbacks<ReceiveListener> onReceive) {
        return new TransportCallbacks(onConnect, onDisconnect, onReceive, onReadyToSend, onLoopPass);
    }

    /** The same lists, but {@code onLoopPass} in place of this one's. */
    public TransportCallbacks withOnLoopPass(Callbacks<Runnable> onLoopPass) {
        return new TransportCallbacks(onConnect, onDisconnect, onReceive, onReadyToSend, onLoopPass);
    }
}
