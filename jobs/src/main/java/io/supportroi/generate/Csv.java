package io.supportroi.generate;

/** RFC 4180 fields: quoted only when they contain a comma, a quote or a line break, quotes doubled. */
final class Csv {
    private Csv() {}

    static StringBuilder row(StringBuilder sb, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            field(sb, fields[i]);
        }
        return sb.append('\n');
    }

    static void field(StringBuilder sb, String value) {
        if (value == null) {
            return;
        }
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            sb.append(value);
            return;
        }
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                sb.append('"');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    static String money(long cents) {
        StringBuilder sb = new StringBuilder(12);
        JsonWriter.appendMoney(sb, cents);
        return sb.toString();
    }
}
