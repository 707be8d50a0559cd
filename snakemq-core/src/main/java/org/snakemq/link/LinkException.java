package org.snakemq.link;

/** A link could not do what was asked (bind a port, for example). */
public class LinkException extends RuntimeException {

    public LinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
