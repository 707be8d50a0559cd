package org.snakemq.packeter;

/** A peer sent bytes that break the protocol; the connection that carried them is closed. */
public class ProtocolException extends Exception {

    public ProtocolException(String message) {
        super(message);
    }
}
