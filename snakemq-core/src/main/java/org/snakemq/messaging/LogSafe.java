package org.snakemq.messaging;

/** Makes text that a peer chose (its identity) safe to put into a log line. */
final class LogSafe {

    private LogSafe() {
    }

    /** The text with control characters (newlines among them) written as {@code \\uXXXX}. */
    static String text(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                if (out == null) {
                    out = new StringBuilder(value.length() + 8).append(value, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? value : out.toString();
    }
}
