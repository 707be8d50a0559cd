package org.snakemq.spring;

/**
 * Names of the headers the starter reads and writes.
 *
 * <p>On the wire a message carries string headers ({@link org.snakemq.message.Headers}; only between
 * snakemq-java peers, a peer of the original protocol gets the data alone). The starter writes
 * {@link #CONTENT_TYPE} there and reserves names starting with {@link #RESERVED_PREFIX}; every other
 * name is the application's.
 *
 * <p>In the application a received message is a spring-messaging {@code Message<byte[]>} whose
 * headers are the wire headers, {@code content-type} renamed to spring-messaging's
 * {@link org.springframework.messaging.MessageHeaders#CONTENT_TYPE contentType}, plus {@link #PEER}
 * and {@link #ATTEMPT}; its {@link org.springframework.messaging.MessageHeaders#getId() id} is the
 * snakeMQ message id. Headers whose names start with {@link #LOCAL_PREFIX} describe the received
 * message and are never sent.
 */
public final class SnakeMqHeaders {

    /** Wire header holding the MIME type of the data, e.g. {@code application/json}. */
    public static final String CONTENT_TYPE = "content-type";

    /** Wire header names with this prefix are reserved for snakeMQ; the template refuses them. */
    public static final String RESERVED_PREFIX = "snakemq-";

    /** Prefix of the headers the starter adds to a received message; not sent. */
    public static final String LOCAL_PREFIX = "snakemq_";

    /** Identity of the peer that sent the received message ({@code String}). */
    public static final String PEER = LOCAL_PREFIX + "peer";

    /** 1 for the first call of the listener with this message, 2 for the first retry, ... ({@code Integer}). */
    public static final String ATTEMPT = LOCAL_PREFIX + "attempt";

    private SnakeMqHeaders() {
    }
}
