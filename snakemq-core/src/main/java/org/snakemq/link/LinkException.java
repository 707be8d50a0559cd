package org.snakemq.link;

/**
 * A link could not do what was asked (bind a port, for example).
 * Thrown to the thread that called the {@link Link} method.
 */
public class LinkException extends RuntimeException {

    public LinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
