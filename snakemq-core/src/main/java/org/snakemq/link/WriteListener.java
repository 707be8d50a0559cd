package org.snakemq.link;

/** Told, on the loop thread, whether bytes handed to {@link Transport#send} reached the socket. */
@FunctionalInterface
public interface WriteListener {

    /**
     * @param success {@code true} when every byte was written to the socket; {@code false} when the
     *                connection broke first
     */
    void onWritten(boolean success);
}
