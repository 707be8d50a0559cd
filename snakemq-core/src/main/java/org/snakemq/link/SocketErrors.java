package org.snakemq.link;

import java.util.regex.Pattern;

/** Socket failures as people read them, whichever transport raised them. */
final class SocketErrors {

    /** The epoll transport's prefix, as in "finishConnect(..) failed with error(-111): Connection refused". */
    private static final Pattern NATIVE_PREFIX = Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");

    private SocketErrors() {
    }

    /**
     * The exception as {@code toString()} gives it, but without the native call and error number the
     * epoll transport puts in front, so both transports report "Connection refused: /127.0.0.1:1".
     */
    static String describe(Throwable error) {
        if (error == null) {
            return "cancelled";
        }
        String message = error.getMessage();
        if (message == null) {
            return error.toString();
        }
        String plain = NATIVE_PREFIX.matcher(message).replaceFirst("");
        return plain.equals(message) ? error.toString() : error.getClass().getName() + ": " + plain;
    }
}
