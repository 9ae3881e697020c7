package io.supportroi.ops;

/**
 * JSON string literals, written once for the generator (which writes exports) and for ingest (which turns CSV rows
 * into JSON records for Spark's parser): both must escape exactly alike.
 */
public final class JsonStrings {
    private JsonStrings() {}

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** RFC 8259 string: quotes, backslash and control characters escaped; everything else written as is (UTF-8). */
    public static void append(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        int clean = 0;
        while (clean < n && !needsEscape(s.charAt(clean))) {
            clean++;
        }
        // Almost every string is clean: copy it in one go rather than char by char.
        sb.append(s, 0, clean);
        for (int i = clean; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        // U+2028/2029 are legal JSON but break JavaScript consumers that eval or embed the text.
                        sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029';
    }
}
