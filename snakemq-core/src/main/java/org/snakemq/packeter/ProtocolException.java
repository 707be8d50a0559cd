package org.snakemq.packeter;

/**
 * A peer sent bytes that break the protocol; the connection that carried them is closed.
 * Raised on the loop thread that decoded the bytes.
 */
public class ProtocolException extends Exception {

    public ProtocolException(String message) {
        super(message);
    }
}
