package org.snakemq.messaging;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakemq.callback.Callbacks;
import org.snakemq.internal.LogBudget;
import org.snakemq.link.Connection;
import org.snakemq.packeter.ErrorListener;
import org.snakemq.packeter.Packeter;
import org.snakemq.packeter.ProtocolException;

/**
 * Protocol breaches of peers: each is reported to {@link Messaging#onError()}, and {@link #fail}
 * closes the peer's connection once what is queued for it is written. Loop thread only.
 */
final class ProtocolErrors {

    private static final Logger log = LoggerFactory.getLogger("snakemq.messaging");

    private final Packeter packeter;
    private final Callbacks<ErrorListener> onError;
    /** Peers that break the protocol may reconnect and do it again at any rate. */
    private final LogBudget protocolLog = new LogBudget(20, Duration.ofSeconds(1));

    ProtocolErrors(Packeter packeter, Callbacks<ErrorListener> onError) {
        this.packeter = packeter;
        this.onError = onError;
    }

    /** The peer broke the protocol: logs it (within a budget), reports it and closes the connection; once. */
    void fail(PeerConnection peer, String reason) {
        if (peer.closing) {
            return;
        }
        long suppressed = protocolLog.tryAcquire();
        if (suppressed >= 0) {
            log.warn("{}: {}; closing{}", peer, reason, LogBudget.suffix(suppressed));
        }
        peer.closing = true;
        ProtocolException error = new ProtocolException(reason);
        onError.fire(l -> l.onError(peer.connection, error));
        packeter.closeAfterFlush(peer.connection);
    }

    /** Reports a breach that does not close the connection. */
    void report(Connection connection, String reason) {
        onError.fire(l -> l.onError(connection, new ProtocolException(reason)));
    }
}
