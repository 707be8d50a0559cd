package org.snakemq.cli;

import org.snakemq.message.Message;

/**
 * {@code RECV <sender> <uuid, 32 hex digits> <ttl seconds or inf> <flags> <data as UTF-8 text>}, one
 * line. The text is kept one line and unambiguous by escaping: backslash as {@code \\}, newline,
 * carriage return and tab as {@code \n}, {@code \r}, {@code \t}, other control characters and Unicode
 * line separators as {@code \xNN} / {@code \}{@code uNNNN}; bytes that are not UTF-8 print as U+FFFD.
 * The sender identity is escaped the same way, and a space in it as {@code \x20}.
 */
final class RecvLine {

    private RecvLine() {
    }

    static String format(String sender, Message message) {
        StringBuilder line = new StringBuilder(48 + message.data().length);
        line.append("RECV ");
        escape(sender, true, line);
        line.append(' ').append(hex(message)).append(' ');
        line.append(message.ttl() == null ? "inf" : String.valueOf(message.ttl().getSeconds()));
        line.append(' ').append(message.flags()).append(' ');
        escape(message.text(), false, line);
        return line.toString();
    }

    static String hex(Message message) {
        return message.uuid().toString().replace("-", "");
    }

    static void escape(String text, boolean escapeSpace, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case ' ' -> out.append(escapeSpace ? "\\x20" : " ");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else if (c == '\u0085' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
