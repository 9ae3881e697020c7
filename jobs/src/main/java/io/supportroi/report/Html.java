package io.supportroi.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Escaping and the inlined chart libraries: what a self-contained page needs. */
final class Html {
    private Html() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** JSON to place inside a script element: no {@code </script>} or comment opener can end it early. */
    static String scriptJson(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node).replace("<", "\\u003c");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Vega, Vega-Lite and vega-embed (pinned in {@code src/main/js/package.json}), minus their source-map
     * comments, which would point a browser's developer tools at files that are not there.
     */
    static String chartLibraries() {
        StringBuilder b = new StringBuilder();
        for (String name : new String[] {"vega", "vega-lite", "vega-embed"}) {
            String path = "io/supportroi/report/vendor/" + name + ".min.js";
            try (InputStream in = Html.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + path);
                }
                String js = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .replaceAll("//# sourceMappingURL=\\S+", "");
                b.append("<script>").append(js.replace("</script", "<\\/script")).append("</script>\n");
            } catch (IOException e) {
                throw new UncheckedIOException(path, e);
            }
        }
        return b.toString();
    }
}
