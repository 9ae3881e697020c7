package io.supportroi.ingest;

import io.supportroi.ops.JsonStrings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a landing file into records without trusting it to be valid: one bad record must not cost the rest of the
 * file. JSON pages are split element by element by bracket matching (so a malformed element is isolated), JSON Lines
 * line by line, CSV by RFC 4180 (quoted newlines kept) into JSON objects keyed by the header.
 */
public final class RecordSplitter {
    private RecordSplitter() {}

    /** One record cut from a file. {@code error} is non-null when the record could not even be cut out. */
    public record RawRecord(long line, long index, String raw, String error) {}

    public static String decode(byte[] bytes) {
        return decodeChecked(bytes).text();
    }

    public static final String NOT_UTF8 = "bytes that are not UTF-8 (Latin-1 or another encoding?)";

    /**
     * A file's text, and whether its bytes were valid UTF-8. When they were not, U+FFFD stands where the bad bytes
     * were, and a record holding one would carry a silently changed name or email: {@link #flagNotUtf8} quarantines
     * it. Valid files, nearly all, are decoded once.
     */
    public record Decoded(String text, boolean utf8) {}

    public static Decoded decodeChecked(byte[] bytes) {
        int offset = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            offset = 3; // a UTF-8 byte-order mark is legal in exports from Windows tools and means nothing
        }
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        try {
            return new Decoded(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(in).toString(), true);
        } catch (java.nio.charset.CharacterCodingException e) {
            return new Decoded(new String(bytes, offset, bytes.length - offset, StandardCharsets.UTF_8), false);
        }
    }

    /** The records of a file that was not valid UTF-8: those holding a replaced byte get {@link #NOT_UTF8}. */
    public static List<RawRecord> flagNotUtf8(List<RawRecord> records) {
        List<RawRecord> out = new ArrayList<>(records.size());
        for (RawRecord r : records) {
            out.add(r.error() == null && r.raw().indexOf('\uFFFD') >= 0
                    ? new RawRecord(r.line(), r.index(), r.raw(), NOT_UTF8) : r);
        }
        return out;
    }

    /** JSON Lines: each non-blank line is one record; line numbers are 1-based. */
    public static List<RawRecord> jsonLines(String text) {
        List<RawRecord> out = new ArrayList<>();
        long line = 0;
        long index = 0;
        int start = 0;
        int n = text.length();
        while (start <= n) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            line++;
            String s = text.substring(start, end);
            if (s.endsWith("\r")) {
                s = s.substring(0, s.length() - 1);
            }
            if (!s.isBlank()) {
                out.add(new RawRecord(line, index++, s.strip(), null));
            }
            start = end + 1;
        }
        return out;
    }

    /**
     * A JSON document whose records are the elements of the array under {@code arrayKey} of the top-level object
     * (or of the top-level array itself when the document is an array).
     */
    public static List<RawRecord> jsonPage(String text, String arrayKey) {
        List<RawRecord> out = new ArrayList<>();
        int n = text.length();
        int i = skipWs(text, 0);
        if (i >= n) {
            return out;
        }
        int arrayStart;
        if (text.charAt(i) == '[') {
            arrayStart = i;
        } else if (text.charAt(i) == '{') {
            arrayStart = findKeyArray(text, i, arrayKey);
            if (arrayStart < 0) {
                out.add(new RawRecord(lineOf(text, i), 0, text,
                        "no \"" + arrayKey + "\" array in the top-level object (truncated or not a page)"));
                return out;
            }
        } else {
            out.add(new RawRecord(lineOf(text, i), 0, text, "not a JSON object or array"));
            return out;
        }
        // Walk the elements of the array at arrayStart.
        int pos = arrayStart + 1;
        long index = 0;
        int line = lineOf(text, pos);
        int lineCursor = pos;
        while (true) {
            pos = skipWsAndCommas(text, pos);
            if (pos >= n) {
                out.add(new RawRecord(lineOf(text, Math.min(pos, n - 1)), index, "",
                        "file ends before the \"" + arrayKey + "\" array is closed (truncated)"));
                return out;
            }
            if (text.charAt(pos) == ']') {
                return out;
            }
            int elementStart = pos;
            int depth = 0;
            boolean inString = false;
            boolean escaped = false;
            int p = pos;
            for (; p < n; p++) {
                char c = text.charAt(p);
                if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (c == '\\') {
                        escaped = true;
                    } else if (c == '"') {
                        inString = false;
                    }
                    continue;
                }
                if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    if (depth == 0) {
                        break; // the closing bracket of the page array
                    }
                    depth--;
                } else if (c == ',' && depth == 0) {
                    break;
                }
            }
            line += countNewlines(text, lineCursor, elementStart);
            lineCursor = elementStart;
            String raw = text.substring(elementStart, p).strip();
            if (p >= n) {
                out.add(new RawRecord(line, index, raw, "record is cut off at the end of the file (truncated)"));
                return out;
            }
            out.add(new RawRecord(line, index++, raw, null));
            pos = p;
        }
    }

    /** CSV with a header row; each data record becomes a JSON object of strings keyed by the header. */
    public static List<RawRecord> csv(String text) {
        List<RawRecord> out = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        parseCsv(text, rows, lines, errors);
        if (rows.isEmpty()) {
            return out;
        }
        List<String> header = rows.get(0);
        for (int h = 0; h < header.size(); h++) {
            header.set(h, header.get(h).strip().toLowerCase(java.util.Locale.ROOT));
        }
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            String raw = String.join(",", row.stream().map(RecordSplitter::csvQuote).toList());
            if (errors.get(r) != null) {
                out.add(new RawRecord(lines.get(r), r - 1, raw, errors.get(r)));
            } else if (row.size() != header.size()) {
                out.add(new RawRecord(lines.get(r), r - 1, raw,
                        "has " + row.size() + " fields, header has " + header.size()));
            } else {
                StringBuilder json = new StringBuilder("{");
                for (int c = 0; c < header.size(); c++) {
                    if (c > 0) {
                        json.append(',');
                    }
                    JsonStrings.append(json, header.get(c));
                    json.append(':');
                    String v = row.get(c);
                    if (v.isEmpty()) {
                        json.append("null");
                    } else {
                        JsonStrings.append(json, v);
                    }
                }
                out.add(new RawRecord(lines.get(r), r - 1, json.append('}').toString(), null));
            }
        }
        return out;
    }

    private static void parseCsv(String text, List<List<String>> rows, List<Long> lines, List<String> errors) {
        int n = text.length();
        int i = 0;
        long line = 1;
        while (i < n) {
            List<String> fields = new ArrayList<>();
            long startLine = line;
            String error = null;
            StringBuilder field = new StringBuilder();
            boolean endOfRecord = false;
            while (!endOfRecord) {
                if (i < n && text.charAt(i) == '"') {
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char c = text.charAt(i);
                        if (c == '"') {
                            if (i + 1 < n && text.charAt(i + 1) == '"') {
                                field.append('"');
                                i += 2;
                                continue;
                            }
                            i++;
                            closed = true;
                            break;
                        }
                        if (c == '\n') {
                            line++;
                        }
                        field.append(c);
                        i++;
                    }
                    if (!closed) {
                        error = "unterminated quoted field";
                    }
                    while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n') {
                        if (text.charAt(i) != '\r' && error == null) {
                            error = "characters after a closing quote";
                        }
                        i++;
                    }
                } else {
                    while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n') {
                        field.append(text.charAt(i));
                        i++;
                    }
                    if (field.length() > 0 && field.charAt(field.length() - 1) == '\r') {
                        field.setLength(field.length() - 1);
                    }
                }
                fields.add(field.toString());
                field.setLength(0);
                if (i >= n) {
                    endOfRecord = true;
                } else if (text.charAt(i) == ',') {
                    i++;
                } else {
                    i++; // '\n'
                    line++;
                    endOfRecord = true;
                }
            }
            boolean blank = fields.size() == 1 && fields.get(0).isBlank() && error == null;
            if (!blank) {
                rows.add(fields);
                lines.add(startLine);
                errors.add(error);
            }
        }
    }

    private static String csvQuote(String v) {
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    private static int findKeyArray(String text, int objectStart, String key) {
        int n = text.length();
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        int stringStart = -1;
        for (int p = objectStart; p < n; p++) {
            char c = text.charAt(p);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                    if (depth == 1 && text.substring(stringStart + 1, p).equals(key)) {
                        int q = skipWs(text, p + 1);
                        if (q < n && text.charAt(q) == ':') {
                            q = skipWs(text, q + 1);
                            if (q < n && text.charAt(q) == '[') {
                                return q;
                            }
                        }
                    }
                }
                continue;
            }
            if (c == '"') {
                inString = true;
                stringStart = p;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return -1;
    }

    private static int skipWs(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipWsAndCommas(String s, int i) {
        while (i < s.length() && (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == ',')) {
            i++;
        }
        return i;
    }

    private static int lineOf(String s, int pos) {
        return 1 + countNewlines(s, 0, pos);
    }

    private static int countNewlines(String s, int from, int to) {
        int count = 0;
        for (int i = from; i < to && i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                count++;
            }
        }
        return count;
    }
}
