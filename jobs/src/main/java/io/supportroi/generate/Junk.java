package io.supportroi.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The broken records of a dirty export. Each is made from a real record of the same source (so it looks like the
 * rest of the file) whose ids are first moved into the junk ranges of {@link Ids}: should a pipeline let one through,
 * it shows up as an extra entity instead of changing a real one. Then one defect is applied. Only a handful per chunk
 * are built, so a Jackson tree is cheap enough here.
 */
final class Junk {
    private Junk() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A US-style local time, as a spreadsheet re-export writes it: no ISO-8601 reader takes it. */
    private static final DateTimeFormatter SPREADSHEET_TIME =
            DateTimeFormatter.ofPattern("MM/dd/yyyy hh:mm a", Locale.US).withZone(ZoneOffset.UTC);

    /** Id ranges broken records draw from, one counter each per chunk. */
    enum Kind {
        ZENDESK_TICKET, ZENDESK_USER, GORGIAS_TICKET, GORGIAS_SURVEY, SHOPIFY_ORDER, STRIPE_EVENT, CSV_TICKET,
        CSV_ORDER, CSV_SUBSCRIPTION
    }

    /** One broken record to plant: its defect and the field the defect is about. */
    record Spec(Dirt.Defect defect, String field) {}

    /** A built broken record: its text and the id it carries (null when the defect removed it). */
    record Built(String text, String id) {}

    static final List<Spec> ZENDESK_TICKETS = List.of(
            new Spec(Dirt.Defect.MALFORMED_JSON, "subject"),
            new Spec(Dirt.Defect.MISSING_REQUIRED_FIELD, "id"),
            new Spec(Dirt.Defect.UNPARSEABLE_TIMESTAMP, "created_at"),
            new Spec(Dirt.Defect.MISSING_REQUESTER, "requester_id"));
    static final List<Spec> ZENDESK_TICKET_METRICS = List.of(
            new Spec(Dirt.Defect.MALFORMED_JSON, "url"),
            new Spec(Dirt.Defect.MISSING_REQUIRED_FIELD, "ticket_id"));
    static final List<Spec> ZENDESK_USERS = List.of(
            new Spec(Dirt.Defect.MALFORMED_JSON, "name"));
    static final List<Spec> SHOPIFY_ORDERS = List.of(
            new Spec(Dirt.Defect.MALFORMED_JSON, "name"),
            new Spec(Dirt.Defect.MISSING_REQUIRED_FIELD, "id"),
            new Spec(Dirt.Defect.UNPARSEABLE_TIMESTAMP, "created_at"));
    static final List<Spec> STRIPE_EVENTS = List.of(
            new Spec(Dirt.Defect.MALFORMED_JSON, null),
            new Spec(Dirt.Defect.MISSING_REQUIRED_FIELD, "data.object"));
    static final List<Spec> GORGIAS_TICKETS = List.of(
            new Spec(Dirt.Defect.MALFORMED_JSON, "subject"),
            new Spec(Dirt.Defect.MISSING_REQUIRED_FIELD, "id"),
            new Spec(Dirt.Defect.UNPARSEABLE_TIMESTAMP, "created_datetime"));
    static final List<Spec> GORGIAS_SURVEYS = List.of(
            new Spec(Dirt.Defect.MALFORMED_JSON, "uri"),
            new Spec(Dirt.Defect.MISSING_REQUIRED_FIELD, "ticket_id"));

    static final List<Spec> CSV_TICKETS = List.of(
            new Spec(Dirt.Defect.MISSING_REQUIRED_FIELD, "ticket_id"),
            new Spec(Dirt.Defect.UNPARSEABLE_TIMESTAMP, "created_at"),
            new Spec(Dirt.Defect.FAILED_CHECK, "csat"),
            new Spec(Dirt.Defect.WRONG_CELL_COUNT, "customer_name"));
    static final List<Spec> CSV_ORDERS = List.of(
            new Spec(Dirt.Defect.MISSING_REQUIRED_FIELD, "order_id"),
            new Spec(Dirt.Defect.UNPARSEABLE_TIMESTAMP, "ordered_at"),
            new Spec(Dirt.Defect.FAILED_CHECK, "total"),
            new Spec(Dirt.Defect.WRONG_CELL_COUNT, "customer_name"));
    static final List<Spec> CSV_BILLING = List.of(
            new Spec(Dirt.Defect.MISSING_REQUIRED_FIELD, "subscription_id"),
            new Spec(Dirt.Defect.FAILED_CHECK, "outcome"),
            new Spec(Dirt.Defect.WRONG_CELL_COUNT, "customer_name"));

    /**
     * A broken row of a canonical CSV source made from the first row of the real record {@code template} (an order
     * spans several rows). Its ids move into junk ids ({@code HD-X…}, {@code SO-X…}, {@code SUB-X…}), then the
     * defect is applied to column {@code spec.field()}.
     */
    static Built buildCsvRow(String source, Spec spec, String header, String template, Dirt dirt) {
        List<String> columns = List.of(header.split(","));
        int newline = template.indexOf('\n');
        List<String> cells = new ArrayList<>(csvCells(newline < 0 ? template : template.substring(0, newline)));
        if (cells.size() != columns.size()) {
            throw new IllegalStateException("a generated " + source + " row has " + cells.size() + " cells: "
                    + template);
        }
        String junkId = switch (source) {
            case Sources.CSV_TICKETS -> "HD-X" + dirt.chunk + "-" + dirt.nextJunk(Kind.CSV_TICKET);
            case Sources.CSV_ORDERS -> "SO-X" + dirt.chunk + "-" + dirt.nextJunk(Kind.CSV_ORDER);
            case Sources.CSV_BILLING -> "SUB-X" + dirt.chunk + "-" + dirt.nextJunk(Kind.CSV_SUBSCRIPTION);
            default -> throw new IllegalArgumentException("no broken rows for source " + source);
        };
        String id = junkId;
        cells.set(0, junkId);
        if (source.equals(Sources.CSV_BILLING)) {
            // A renewal attempt of a subscription that does not exist, whatever row the template was.
            cells.set(columns.indexOf("invoice_id"), "INV-" + junkId);
            cells.set(columns.indexOf("attempted_at"), cells.get(columns.indexOf("started_at")));
            cells.set(columns.indexOf("attempt"), "1");
            cells.set(columns.indexOf("amount"), Csv.money(Catalog.BOX.priceCents()));
            cells.set(columns.indexOf("currency"), "USD");
            cells.set(columns.indexOf("outcome"), "failed");
        }
        int column = columns.indexOf(spec.field());
        if (column < 0) {
            throw new IllegalArgumentException(source + " has no column " + spec.field());
        }
        String value = cells.get(column);
        switch (spec.defect()) {
            case MISSING_REQUIRED_FIELD -> {
                cells.set(column, "");
                if (column == 0) {
                    id = null;
                }
            }
            case UNPARSEABLE_TIMESTAMP ->
                    cells.set(column, SPREADSHEET_TIME.format(Instant.parse(normalisedIso(value))));
            case FAILED_CHECK -> cells.set(column, switch (spec.field()) {
                case "csat" -> "great";
                case "outcome" -> "bounced";
                default -> "$" + value;
            });
            case WRONG_CELL_COUNT -> {
                // "Last, First" written without the quotes it needs: one cell too many.
                int space = value.indexOf(' ');
                cells.set(column, space < 0 ? value + ", Jr"
                        : value.substring(space + 1) + ", " + value.substring(0, space));
            }
            default -> throw new IllegalArgumentException(spec.defect() + " is not a CSV defect");
        }
        StringBuilder sb = new StringBuilder(300);
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            if (i == column && spec.defect() == Dirt.Defect.WRONG_CELL_COUNT) {
                sb.append(cells.get(i));
            } else {
                Csv.field(sb, cells.get(i));
            }
        }
        return new Built(sb.toString(), id);
    }

    /** The cells of one RFC 4180 line as {@link Csv#row} writes it (quotes only where needed, doubled inside). */
    static List<String> csvCells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString());
        return out;
    }

    /**
     * A broken record of bronze source {@code source} made from the real record {@code template}. {@code jsonLines}:
     * the record is a line of its own, so "malformed" may cut it off; inside a page the damage must keep brackets and
     * quotes balanced so the page's other records can still be cut out, hence an unescaped quote instead.
     */
    static Built build(String source, Spec spec, String template, Dirt dirt, boolean jsonLines) {
        ObjectNode node;
        try {
            node = (ObjectNode) JSON.readTree(template);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a generated " + source + " record is not JSON", e);
        }
        String id = moveToJunkIds(source, node, dirt);
        switch (spec.defect()) {
            case MISSING_REQUIRED_FIELD -> {
                remove(node, spec.field());
                if (spec.field().equals("id")) {
                    id = null;
                }
            }
            case UNPARSEABLE_TIMESTAMP -> node.put(spec.field(),
                    SPREADSHEET_TIME.format(Instant.parse(normalisedIso(node.path(spec.field()).asText()))));
            case MISSING_REQUESTER -> node.putNull(spec.field());
            case MALFORMED_JSON -> {
                // Applied to the text below.
            }
        }
        String text;
        try {
            text = JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (spec.defect() == Dirt.Defect.MALFORMED_JSON) {
            text = jsonLines ? text.substring(0, text.length() * 2 / 3) : unescapedQuote(text, spec.field());
        }
        return new Built(text, id);
    }

    /** Gives the record ids from the chunk's junk ranges; returns its own id as text. */
    private static String moveToJunkIds(String source, ObjectNode node, Dirt dirt) {
        int chunk = dirt.chunk;
        switch (source) {
            case Sources.ZENDESK_TICKETS -> {
                long id = Ids.junk(Ids.JUNK_ZENDESK_TICKET_BASE, chunk, dirt.nextJunk(Kind.ZENDESK_TICKET));
                node.put("url", ZendeskJson.API + "tickets/" + id + ".json");
                node.put("id", id);
                // A rating belongs to one ticket: the copy keeps only the survey state.
                String score = node.path("satisfaction_rating").path("score").asText("unoffered");
                node.putObject("satisfaction_rating").put("score", score.equals("good") || score.equals("bad")
                        ? "offered" : score);
                return Long.toString(id);
            }
            case Sources.ZENDESK_TICKET_METRICS -> {
                long ticket = Ids.junk(Ids.JUNK_ZENDESK_TICKET_BASE, chunk, dirt.nextJunk(Kind.ZENDESK_TICKET));
                long id = Ids.zendeskMetric(ticket);
                node.put("url", ZendeskJson.API + "ticket_metrics/" + id + ".json");
                node.put("id", id);
                node.put("ticket_id", ticket);
                return Long.toString(id);
            }
            case Sources.ZENDESK_USERS -> {
                long id = Ids.junk(Ids.JUNK_ZENDESK_USER_BASE, chunk, dirt.nextJunk(Kind.ZENDESK_USER));
                node.put("id", id);
                node.put("url", ZendeskJson.API + "users/" + id + ".json");
                return Long.toString(id);
            }
            case Sources.SHOPIFY_ORDERS -> {
                long id = Ids.junk(Ids.JUNK_SHOPIFY_ORDER_BASE, chunk, dirt.nextJunk(Kind.SHOPIFY_ORDER));
                long number = Ids.shopifyOrderNumber(id);
                node.put("id", id);
                node.put("admin_graphql_api_id", "gid://shopify/Order/" + id);
                node.put("name", "#" + number);
                node.put("order_number", number);
                int line = 0;
                for (JsonNode l : node.withArray("line_items")) {
                    ((ObjectNode) l).put("id", Ids.shopifyLineItem(id, line++));
                }
                int refund = 1;
                for (JsonNode r : node.withArray("refunds")) {
                    ObjectNode ro = (ObjectNode) r;
                    ro.put("id", Ids.shopifyRefund(id, refund));
                    ro.put("admin_graphql_api_id", "gid://shopify/Refund/" + Ids.shopifyRefund(id, refund));
                    ro.put("order_id", id);
                    for (JsonNode t : ro.withArray("transactions")) {
                        ((ObjectNode) t).put("id", Ids.shopifyRefundTransaction(id, refund)).put("order_id", id);
                    }
                    refund++;
                }
                return Long.toString(id);
            }
            case Sources.STRIPE_EVENTS -> {
                String id = Ids.junkStripeEvent(chunk, dirt.nextJunk(Kind.STRIPE_EVENT));
                node.put("id", id);
                return id;
            }
            case Sources.GORGIAS_TICKETS -> {
                long id = Ids.junk(Ids.JUNK_GORGIAS_TICKET_BASE, chunk, dirt.nextJunk(Kind.GORGIAS_TICKET));
                node.put("id", id);
                node.put("uri", "/api/tickets/" + id + "/");
                // Keep the opening message only, re-numbered into the junk ticket.
                ArrayNode messages = node.withArray("messages");
                ArrayNode kept = JSON.createArrayNode();
                if (!messages.isEmpty()) {
                    ObjectNode first = (ObjectNode) messages.get(0);
                    long message = Ids.gorgiasMessage(id, 0);
                    first.put("id", message).put("ticket_id", id)
                            .put("uri", "/api/tickets/" + id + "/messages/" + message + "/");
                    kept.add(first);
                }
                node.set("messages", kept);
                return Long.toString(id);
            }
            case Sources.GORGIAS_SURVEYS -> {
                long id = Ids.junk(Ids.JUNK_GORGIAS_SURVEY_BASE, chunk, dirt.nextJunk(Kind.GORGIAS_SURVEY));
                long ticket = Ids.junk(Ids.JUNK_GORGIAS_TICKET_BASE, chunk, dirt.nextJunk(Kind.GORGIAS_TICKET));
                node.put("id", id);
                node.put("uri", "/api/satisfaction-surveys/" + id + "/");
                node.put("ticket_id", ticket);
                return Long.toString(id);
            }
            default -> throw new IllegalArgumentException("no broken records for source " + source);
        }
    }

    /** Removes {@code path} ({@code a.b} for a nested field). */
    private static void remove(ObjectNode node, String path) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            node.remove(path);
            return;
        }
        JsonNode parent = node.path(path.substring(0, dot));
        if (parent instanceof ObjectNode o) {
            remove(o, path.substring(dot + 1));
        }
    }

    /** Shopify's offset times and Gorgias's {@code +00:00} as an {@link Instant#parse} input. */
    private static String normalisedIso(String text) {
        return OffsetDateTime.parse(text).toInstant().toString();
    }

    /**
     * {@code "subject":"Where is my order?"} becomes {@code "subject":"Re: "Where is my order?""}: a quoted quote
     * nobody escaped. Quotes stay paired and the value holds no bracket, so a record splitter still finds where the
     * record ends; a JSON parser does not accept it.
     */
    static String unescapedQuote(String text, String field) {
        String key = "\"" + field + "\":\"";
        int start = text.indexOf(key);
        if (start < 0) {
            throw new IllegalStateException("no text field " + field + " to break in " + text);
        }
        int valueStart = start + key.length();
        int valueEnd = valueStart;
        while (text.charAt(valueEnd) != '"') {
            valueEnd += text.charAt(valueEnd) == '\\' ? 2 : 1;
        }
        String value = text.substring(valueStart, valueEnd);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '{' || c == '}' || c == '[' || c == ']' || c == '\\') {
                throw new IllegalStateException("field " + field + " holds " + c + ": breaking it would unbalance "
                        + "the page");
            }
        }
        return text.substring(0, valueStart) + "Re: \"" + value + "\"" + text.substring(valueEnd);
    }
}
