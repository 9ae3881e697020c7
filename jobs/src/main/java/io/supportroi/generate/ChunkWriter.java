package io.supportroi.generate;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Simulates one chunk of customers and writes the chunk's own files. Records are first rendered one by one into JSON
 * text ({@link Item}), sorted the way each source exports them, then cut into pages: a later pass that dirties the
 * data (duplicates, re-sent tickets, malformed lines) can work on the item lists before paging without touching the
 * simulation or the renderers.
 */
final class ChunkWriter {
    static final int TICKETS_PER_PAGE = 1000;
    static final int METRICS_PER_PAGE = 1000;
    static final int USERS_PER_PAGE = 1000;
    static final int ORDERS_PER_PAGE = 250;
    static final int EVENTS_PER_FILE = 50_000;

    /** One rendered record with its export sort key (time, then a unique tie-breaker). */
    record Item(long time, long tie, String json) {}

    private static final Comparator<Item> EXPORT_ORDER =
            Comparator.comparingLong(Item::time).thenComparingLong(Item::tie);

    private final Business b;
    private final FileSystem fs;
    private final Path out;

    ChunkWriter(Business business, FileSystem fs, Path out) {
        this.b = business;
        this.fs = fs;
        this.out = out;
    }

    ChunkResult write(int chunk) throws IOException {
        long asOf = b.endExclusiveSec;
        CustomerSimulator simulator = new CustomerSimulator(b);
        ChunkResult result = new ChunkResult(chunk, b.bucketBoundsHours);
        List<Item> tickets = new ArrayList<>();
        List<Item> metrics = new ArrayList<>();
        List<Item> users = new ArrayList<>();
        List<Item> orders = new ArrayList<>();
        List<Item> events = new ArrayList<>();
        StringBuilder claims = new StringBuilder();
        long claimRows = 0;

        for (int i = b.chunkFirstCustomer(chunk); i < b.chunkEndCustomer(chunk); i++) {
            CustomerHistory h = simulator.simulate(i);
            result.add(h, b);
            CustomerProfile c = h.customer;
            long firstTicket = Long.MAX_VALUE;
            for (SimTicket t : h.tickets) {
                if (t.createdAt() >= asOf) {
                    continue;
                }
                ZendeskJson.View view = ZendeskJson.view(t, asOf);
                AgentProfile agent = b.agents[t.agent()];
                tickets.add(new Item(view.updatedAt(), t.id(), render(w -> ZendeskJson.ticket(w, t, view, c, agent))));
                metrics.add(new Item(t.id(), 0, render(w -> ZendeskJson.metric(w, t, view))));
                firstTicket = Math.min(firstTicket, t.createdAt());
            }
            if (firstTicket != Long.MAX_VALUE) {
                // Zendesk creates the requester with the first ticket; customers who never wrote in are not there.
                long createdAt = firstTicket;
                users.add(new Item(Ids.zendeskEndUser(i), 0, render(w -> ZendeskJson.endUser(w, c, createdAt))));
            }
            for (SimOrder o : h.orders) {
                if (o.createdAt() < asOf) {
                    orders.add(new Item(o.createdAt(), o.id(), render(w -> ShopifyJson.order(w, o, c, asOf))));
                }
            }
            for (StripeEvent e : h.stripeEvents) {
                if (e.created() < asOf) {
                    // Ids sort as (customer, sequence), so this tie-breaker orders equal timestamps by event id.
                    long tie = ((long) i << 20) | e.seq();
                    events.add(new Item(e.created(), tie, render(w -> StripeJson.event(w, e, c))));
                }
            }
            for (SimClaim claim : h.claims) {
                if (claim.filedAt() < asOf) {
                    ReferenceFiles.claimRow(claims, claim, b, asOf);
                    claimRows++;
                }
            }
        }

        tickets.sort(EXPORT_ORDER);
        metrics.sort(EXPORT_ORDER);
        users.sort(EXPORT_ORDER);
        orders.sort(EXPORT_ORDER);
        events.sort(EXPORT_ORDER);

        count(result, ChunkResult.TICKETS, tickets.size(), writeTicketPages(chunk, tickets));
        count(result, ChunkResult.METRICS, metrics.size(),
                writePages(chunk, LandingFiles.TICKET_METRICS, "ticket_metrics", metrics, METRICS_PER_PAGE,
                        "{\"ticket_metrics\":[", "],\"next_page\":null,\"previous_page\":null,\"count\":", "}"));
        count(result, ChunkResult.USERS, users.size(),
                writePages(chunk, LandingFiles.USERS, "users", users, USERS_PER_PAGE,
                        "{\"users\":[", "],\"next_page\":null,\"previous_page\":null,\"count\":", "}"));
        count(result, ChunkResult.ORDERS, orders.size(),
                writePages(chunk, LandingFiles.ORDERS, "orders", orders, ORDERS_PER_PAGE, "{\"orders\":[", "]}", null));
        count(result, ChunkResult.STRIPE, events.size(), writeEventFiles(chunk, events));
        if (claimRows > 0) {
            LandingFiles.writeText(fs, claimPart(out, chunk), claims);
        }
        result.records[ChunkResult.CLAIMS] = claimRows;
        return result;
    }

    static Path claimPart(Path out, int chunk) {
        return new Path(new Path(out, LandingFiles.CLAIM_PARTS), String.format(Locale.ROOT,
                "claims-c%05d.csv", chunk));
    }

    private static void count(ChunkResult r, int source, long records, long files) {
        r.records[source] = records;
        r.files[source] = files;
    }

    private static String render(Consumer<JsonWriter> renderer) {
        StringBuilder sb = new StringBuilder(2048);
        renderer.accept(new JsonWriter(sb));
        return sb.toString();
    }

    /**
     * Incremental Ticket Export pages: each page says where the next starts ({@code end_time} = the last ticket's
     * {@code updated_at}); the chunk's last page is the end of its stream.
     */
    private int writeTicketPages(int chunk, List<Item> items) throws IOException {
        int pages = 0;
        for (int from = 0; from < items.size(); from += TICKETS_PER_PAGE) {
            int to = Math.min(items.size(), from + TICKETS_PER_PAGE);
            long endTime = items.get(to - 1).time();
            StringBuilder sb = new StringBuilder((to - from) * 1200 + 256);
            sb.append("{\"tickets\":[");
            appendItems(sb, items, from, to);
            sb.append("],\"count\":").append(to - from)
                    .append(",\"end_time\":").append(endTime)
                    .append(",\"next_page\":");
            JsonWriter.appendString(sb, ZendeskJson.API + "incremental/tickets.json?start_time=" + endTime);
            sb.append(",\"end_of_stream\":").append(to == items.size()).append('}');
            pages++;
            LandingFiles.writeText(fs, new Path(new Path(out, LandingFiles.TICKETS),
                    LandingFiles.pageName("tickets", chunk, pages, "json")), sb);
        }
        return pages;
    }

    /** {@code head + items + middle [+ count + tail]}: a null tail means the envelope carries no count. */
    private int writePages(int chunk, String dir, String prefix, List<Item> items, int perPage, String head,
                           String middle, String tail) throws IOException {
        int pages = 0;
        for (int from = 0; from < items.size(); from += perPage) {
            int to = Math.min(items.size(), from + perPage);
            StringBuilder sb = new StringBuilder((to - from) * 1500 + 128);
            sb.append(head);
            appendItems(sb, items, from, to);
            sb.append(middle);
            if (tail != null) {
                sb.append(to - from).append(tail);
            }
            pages++;
            LandingFiles.writeText(fs, new Path(new Path(out, dir), LandingFiles.pageName(prefix, chunk, pages, "json")),
                    sb);
        }
        return pages;
    }

    /** JSON Lines, sorted by {@code created}, split into files of at most {@link #EVENTS_PER_FILE} events. */
    private int writeEventFiles(int chunk, List<Item> items) throws IOException {
        int files = 0;
        for (int from = 0; from < items.size(); from += EVENTS_PER_FILE) {
            int to = Math.min(items.size(), from + EVENTS_PER_FILE);
            StringBuilder sb = new StringBuilder((to - from) * 1400);
            for (int i = from; i < to; i++) {
                sb.append(items.get(i).json()).append('\n');
            }
            files++;
            LandingFiles.writeText(fs, new Path(new Path(out, LandingFiles.STRIPE_EVENTS),
                    LandingFiles.pageName("events", chunk, files, "jsonl")), sb);
        }
        return files;
    }

    private static void appendItems(StringBuilder sb, List<Item> items, int from, int to) {
        for (int i = from; i < to; i++) {
            if (i > from) {
                sb.append(',');
            }
            sb.append(items.get(i).json());
        }
    }
}
