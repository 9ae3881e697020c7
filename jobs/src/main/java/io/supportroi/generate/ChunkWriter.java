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
 * Simulates one chunk of customers and writes the chunk's own files. Each simulated record goes to the format the
 * options choose (tickets to Zendesk, Gorgias, both split at the switch date, or the tickets CSV; orders to Shopify
 * or the orders CSV; subscriptions to Stripe events or the billing CSV). Records are first rendered one by one into
 * text ({@link Item}), sorted the way each source exports them, then cut into pages or files. {@code --dirty} works on
 * those item lists and files (earlier ticket versions, duplicate events and attempts, broken records, file names,
 * repeated files) and on how a record is rendered (emails, order times and prices), never on the simulation: the
 * business written is the same in every format, clean or dirty.
 */
final class ChunkWriter {
    static final int TICKETS_PER_PAGE = 1000;
    static final int METRICS_PER_PAGE = 1000;
    static final int USERS_PER_PAGE = 1000;
    static final int ORDERS_PER_PAGE = 250;
    /** Gorgias's list endpoints return at most 100 objects a page. */
    static final int GORGIAS_PER_PAGE = 100;
    static final int EVENTS_PER_FILE = 50_000;
    private static final long NONE = -1;

    /**
     * One rendered record with its export sort key (time, then a tie-breaker); {@code junk} is non-null for a broken
     * record a dirty export plants, {@code junkId} the id it carries.
     */
    record Item(long time, long tie, String json, Junk.Spec junk, String junkId) {
        Item(long time, long tie, String json) {
            this(time, tie, json, null, null);
        }
    }

    private static final Comparator<Item> EXPORT_ORDER =
            Comparator.comparingLong(Item::time).thenComparingLong(Item::tie);

    /** The text around a page's records; {@code position} is the page's place in the export stream. */
    private interface Envelope {
        void head(StringBuilder sb);

        void tail(StringBuilder sb, List<Item> page, int position, int pages, int chunk);
    }

    /** How a page-structured source is written and which broken records a dirty export plants in it. */
    private record PageSpec(String source, String dir, String prefix, int perPage, List<Junk.Spec> junk,
                            Envelope envelope) {}

    private static final PageSpec ZENDESK_TICKET_PAGES = new PageSpec(Sources.ZENDESK_TICKETS, LandingFiles.TICKETS,
            "tickets", TICKETS_PER_PAGE, Junk.ZENDESK_TICKETS, new Envelope() {
                public void head(StringBuilder sb) {
                    sb.append("{\"tickets\":[");
                }

                /**
                 * Incremental Ticket Export: each page says where the next starts ({@code end_time} = the last
                 * ticket's {@code updated_at}); the chunk's last page is the end of its stream.
                 */
                public void tail(StringBuilder sb, List<Item> page, int position, int pages, int chunk) {
                    long endTime = 0;
                    for (int i = page.size() - 1; i >= 0; i--) {
                        if (page.get(i).junk() == null) {
                            endTime = page.get(i).time();
                            break;
                        }
                    }
                    sb.append("],\"count\":").append(page.size())
                            .append(",\"end_time\":").append(endTime)
                            .append(",\"next_page\":");
                    JsonWriter.appendString(sb, ZendeskJson.API + "incremental/tickets.json?start_time=" + endTime);
                    sb.append(",\"end_of_stream\":").append(position == pages - 1).append('}');
                }
            });
    private static final PageSpec ZENDESK_METRIC_PAGES = new PageSpec(Sources.ZENDESK_TICKET_METRICS,
            LandingFiles.TICKET_METRICS, "ticket_metrics", METRICS_PER_PAGE, Junk.ZENDESK_TICKET_METRICS,
            zendeskList("ticket_metrics"));
    private static final PageSpec ZENDESK_USER_PAGES = new PageSpec(Sources.ZENDESK_USERS, LandingFiles.USERS,
            "users", USERS_PER_PAGE, Junk.ZENDESK_USERS, zendeskList("users"));
    private static final PageSpec SHOPIFY_ORDER_PAGES = new PageSpec(Sources.SHOPIFY_ORDERS, LandingFiles.ORDERS,
            "orders", ORDERS_PER_PAGE, Junk.SHOPIFY_ORDERS, new Envelope() {
                public void head(StringBuilder sb) {
                    sb.append("{\"orders\":[");
                }

                public void tail(StringBuilder sb, List<Item> page, int position, int pages, int chunk) {
                    sb.append("]}");
                }
            });
    private static final PageSpec GORGIAS_TICKET_PAGES = new PageSpec(Sources.GORGIAS_TICKETS,
            LandingFiles.GORGIAS_TICKETS, "tickets", GORGIAS_PER_PAGE, Junk.GORGIAS_TICKETS,
            gorgiasList("/api/tickets?limit=100&order_by=updated_datetime%3Aasc"));
    private static final PageSpec GORGIAS_SURVEY_PAGES = new PageSpec(Sources.GORGIAS_SURVEYS,
            LandingFiles.GORGIAS_SURVEYS, "satisfaction_surveys", GORGIAS_PER_PAGE, Junk.GORGIAS_SURVEYS,
            gorgiasList("/api/satisfaction-surveys?limit=100"));

    /** A canonical CSV source: its files, the rows per file, and the broken rows a dirty export plants in it. */
    private record CsvSpec(String source, String dir, String prefix, String header, int perFile,
                           List<Junk.Spec> junk) {}

    /** Records (tickets, orders with all their rows, billing rows) per CSV file. */
    static final int CSV_RECORDS_PER_FILE = 10_000;
    private static final CsvSpec CSV_TICKET_FILES = new CsvSpec(Sources.CSV_TICKETS, LandingFiles.CSV_TICKETS,
            "tickets", CsvExports.TICKETS_HEADER, CSV_RECORDS_PER_FILE, Junk.CSV_TICKETS);
    private static final CsvSpec CSV_ORDER_FILES = new CsvSpec(Sources.CSV_ORDERS, LandingFiles.CSV_ORDERS,
            "orders", CsvExports.ORDERS_HEADER, CSV_RECORDS_PER_FILE, Junk.CSV_ORDERS);
    private static final CsvSpec CSV_BILLING_FILES = new CsvSpec(Sources.CSV_BILLING, LandingFiles.CSV_BILLING,
            "billing", CsvExports.BILLING_HEADER, CSV_RECORDS_PER_FILE, Junk.CSV_BILLING);

    /** Zendesk's list endpoints (ticket metrics, users): offset pagination, every link spent by the export. */
    private static Envelope zendeskList(String key) {
        return new Envelope() {
            public void head(StringBuilder sb) {
                sb.append("{\"").append(key).append("\":[");
            }

            public void tail(StringBuilder sb, List<Item> page, int position, int pages, int chunk) {
                sb.append("],\"next_page\":null,\"previous_page\":null,\"count\":").append(page.size()).append('}');
            }
        };
    }

    /** Gorgias's cursor pagination: opaque cursors linking the chunk's pages, null at either end. */
    private static Envelope gorgiasList(String uri) {
        return new Envelope() {
            public void head(StringBuilder sb) {
                sb.append("{\"data\":[");
            }

            public void tail(StringBuilder sb, List<Item> page, int position, int pages, int chunk) {
                sb.append("],\"meta\":{\"prev_cursor\":");
                cursor(sb, chunk, position - 1, pages);
                sb.append(",\"next_cursor\":");
                cursor(sb, chunk, position + 1, pages);
                sb.append("},\"object\":\"list\",\"uri\":");
                JsonWriter.appendString(sb, uri);
                sb.append('}');
            }

            private void cursor(StringBuilder sb, int chunk, int position, int pages) {
                if (position < 0 || position >= pages) {
                    sb.append("null");
                } else {
                    sb.append('"').append(String.format(Locale.ROOT, "%016x", Rng.mix(chunk, position))).append('"');
                }
            }
        };
    }

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
        ChunkResult result = new ChunkResult(chunk, b);
        Dirt dirt = b.dirty ? new Dirt(b, chunk) : null;
        List<Item> tickets = new ArrayList<>();
        List<Item> metrics = new ArrayList<>();
        List<Item> users = new ArrayList<>();
        List<Item> gorgiasTickets = new ArrayList<>();
        List<Item> surveys = new ArrayList<>();
        List<Item> orders = new ArrayList<>();
        List<Item> events = new ArrayList<>();
        List<Item> redelivered = new ArrayList<>();
        List<Item> csvTickets = new ArrayList<>();
        List<Item> csvOrders = new ArrayList<>();
        List<Item> csvBilling = new ArrayList<>();
        long[] distinct = new long[ChunkResult.SOURCES.length];
        StringBuilder claims = new StringBuilder();
        long claimRows = 0;

        for (int i = b.chunkFirstCustomer(chunk); i < b.chunkEndCustomer(chunk); i++) {
            CustomerHistory h = simulator.simulate(i);
            result.add(h, b);
            CustomerProfile c = h.customer;
            long firstZendeskTicket = Long.MAX_VALUE;
            for (SimTicket t : h.tickets) {
                if (t.createdAt() >= asOf) {
                    continue;
                }
                AgentProfile agent = b.agents[t.agent()];
                if (b.helpdesk == GeneratorOptions.Helpdesk.CSV) {
                    csvTicket(t, c, agent, asOf, dirt, csvTickets);
                    distinct[ChunkResult.CSV_TICKETS]++;
                } else if (b.inZendesk(t.createdAt())) {
                    zendeskTicket(t, c, agent, asOf, dirt, tickets, metrics);
                    distinct[ChunkResult.TICKETS]++;
                    distinct[ChunkResult.METRICS]++;
                    firstZendeskTicket = Math.min(firstZendeskTicket, t.createdAt());
                } else {
                    gorgiasTicket(t, c, agent, asOf, dirt, gorgiasTickets);
                    distinct[ChunkResult.GORGIAS_TICKETS]++;
                    if (GorgiasJson.hasSurvey(t, asOf)) {
                        surveys.add(new Item(GorgiasJson.surveySentAt(t), t.id(),
                                render(w -> GorgiasJson.survey(w, t, c, asOf))));
                        distinct[ChunkResult.GORGIAS_SURVEYS]++;
                    }
                }
            }
            if (firstZendeskTicket != Long.MAX_VALUE) {
                // Zendesk creates the requester with the first ticket; customers who never wrote in are not there.
                long createdAt = firstZendeskTicket;
                CustomerProfile written = dirt == null ? c : dirt.customer(c);
                users.add(new Item(Ids.zendeskEndUser(i), 0, render(w -> ZendeskJson.endUser(w, written, createdAt))));
                distinct[ChunkResult.USERS]++;
            }
            for (SimOrder o : h.orders) {
                if (o.createdAt() < asOf) {
                    CustomerProfile written = dirt == null ? c : dirt.customer(c);
                    ShopifyJson.Style style = dirt == null ? ShopifyJson.Style.SHOPIFY : dirt.shopStyle();
                    if (b.shop == GeneratorOptions.Shop.CSV) {
                        csvOrders.add(new Item(o.createdAt(), o.id(), CsvExports.order(o, written, asOf, style)));
                        distinct[ChunkResult.CSV_ORDERS]++;
                    } else {
                        orders.add(new Item(o.createdAt(), o.id(),
                                render(w -> ShopifyJson.order(w, o, written, asOf, style))));
                        distinct[ChunkResult.ORDERS]++;
                    }
                }
            }
            if (b.billing == GeneratorOptions.Billing.CSV) {
                distinct[ChunkResult.CSV_BILLING] += csvBilling(h, i, asOf, dirt, csvBilling);
            } else {
                for (StripeEvent e : h.stripeEvents) {
                    if (e.created() < asOf) {
                        stripeEvent(e, c, i, dirt, events, redelivered);
                        distinct[ChunkResult.STRIPE]++;
                    }
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
        gorgiasTickets.sort(EXPORT_ORDER);
        surveys.sort(EXPORT_ORDER);
        orders.sort(EXPORT_ORDER);
        events.sort(EXPORT_ORDER);
        redelivered.sort(EXPORT_ORDER);
        csvTickets.sort(EXPORT_ORDER);
        csvOrders.sort(EXPORT_ORDER);
        csvBilling.sort(EXPORT_ORDER);

        result.files[ChunkResult.TICKETS] = writePages(chunk, ZENDESK_TICKET_PAGES, tickets, dirt, result);
        result.files[ChunkResult.METRICS] = writePages(chunk, ZENDESK_METRIC_PAGES, metrics, dirt, result);
        result.files[ChunkResult.USERS] = writePages(chunk, ZENDESK_USER_PAGES, users, dirt, result);
        result.files[ChunkResult.GORGIAS_TICKETS] = writePages(chunk, GORGIAS_TICKET_PAGES, gorgiasTickets, dirt,
                result);
        result.files[ChunkResult.GORGIAS_SURVEYS] = writePages(chunk, GORGIAS_SURVEY_PAGES, surveys, dirt, result);
        result.files[ChunkResult.ORDERS] = writePages(chunk, SHOPIFY_ORDER_PAGES, orders, dirt, result);
        result.files[ChunkResult.STRIPE] = writeEventFiles(chunk, events, redelivered, dirt, result);
        result.files[ChunkResult.CSV_TICKETS] = writeCsvFiles(chunk, CSV_TICKET_FILES, csvTickets, dirt, result);
        result.files[ChunkResult.CSV_ORDERS] = writeCsvFiles(chunk, CSV_ORDER_FILES, csvOrders, dirt, result);
        result.files[ChunkResult.CSV_BILLING] = writeCsvFiles(chunk, CSV_BILLING_FILES, csvBilling, dirt, result);
        if (claimRows > 0) {
            LandingFiles.writeText(fs, claimPart(out, chunk), claims);
        }
        distinct[ChunkResult.CLAIMS] = claimRows;
        System.arraycopy(distinct, 0, result.records, 0, distinct.length);
        if (dirt != null) {
            System.arraycopy(dirt.repairs, 0, result.repairs, 0, dirt.repairs.length);
        }
        return result;
    }

    /**
     * A Zendesk ticket and its metrics as of the as-of date; dirty, sometimes also an earlier state of both (before
     * the solve, or before the first reply), whose {@code updated_at} is strictly older, so the export stream has it
     * first and the latest version is still the final one.
     */
    private void zendeskTicket(SimTicket t, CustomerProfile c, AgentProfile agent, long asOf, Dirt dirt,
                               List<Item> tickets, List<Item> metrics) {
        ZendeskJson.View view = ZendeskJson.view(t, asOf);
        tickets.add(new Item(view.updatedAt(), t.id(), render(w -> ZendeskJson.ticket(w, t, view, c, agent))));
        metrics.add(new Item(t.id(), 0, render(w -> ZendeskJson.metric(w, t, view))));
        if (dirt == null || !dirt.resend()) {
            return;
        }
        long cut = earlierCut(t, view.solved(), view.replied());
        if (cut == NONE) {
            return;
        }
        ZendeskJson.View earlier = ZendeskJson.view(t, cut);
        if (earlier.updatedAt() >= view.updatedAt()) {
            throw new IllegalStateException("re-sent version of ticket " + t.id() + " is not older than the final one");
        }
        tickets.add(new Item(earlier.updatedAt(), t.id(), render(w -> ZendeskJson.ticket(w, t, earlier, c, agent))));
        // Metrics are listed by ticket: the older version just before the final one.
        metrics.add(new Item(t.id(), -1, render(w -> ZendeskJson.metric(w, t, earlier))));
        dirt.count(Dirt.Repair.RESENT_ZENDESK_TICKETS, 1);
        dirt.count(Dirt.Repair.RESENT_ZENDESK_TICKET_METRICS, 1);
    }

    /** A Gorgias ticket as of the as-of date, and dirty, sometimes an earlier open state exported before it. */
    private void gorgiasTicket(SimTicket t, CustomerProfile c, AgentProfile agent, long asOf, Dirt dirt,
                               List<Item> tickets) {
        GorgiasJson.View view = GorgiasJson.view(t, asOf);
        CustomerProfile written = dirt == null ? c : dirt.customer(c);
        tickets.add(new Item(view.updatedAt(), t.id(),
                render(w -> GorgiasJson.ticket(w, t, view, written, agent))));
        if (dirt == null || !dirt.resend()) {
            return;
        }
        long cut = earlierCut(t, view.closed(), view.replied());
        if (cut == NONE) {
            return;
        }
        GorgiasJson.View earlier = GorgiasJson.view(t, cut);
        if (earlier.updatedAt() >= view.updatedAt()) {
            throw new IllegalStateException("re-sent version of ticket " + t.id() + " is not older than the final one");
        }
        CustomerProfile before = dirt.customer(c);
        tickets.add(new Item(earlier.updatedAt(), t.id(),
                render(w -> GorgiasJson.ticket(w, t, earlier, before, agent))));
        dirt.count(Dirt.Repair.RESENT_GORGIAS_TICKETS, 1);
    }

    /** A canonical CSV ticket row; dirty, sometimes an earlier version's row too (older {@code updated_at}). */
    private static void csvTicket(SimTicket t, CustomerProfile c, AgentProfile agent, long asOf, Dirt dirt,
                                  List<Item> rows) {
        ZendeskJson.View view = ZendeskJson.view(t, asOf);
        CustomerProfile written = dirt == null ? c : dirt.customer(c);
        rows.add(new Item(view.updatedAt(), t.id(), CsvExports.ticket(t, view, written, agent)));
        if (dirt == null || !dirt.resend()) {
            return;
        }
        long cut = earlierCut(t, view.solved(), view.replied());
        if (cut == NONE) {
            return;
        }
        ZendeskJson.View earlier = ZendeskJson.view(t, cut);
        rows.add(new Item(earlier.updatedAt(), t.id(), CsvExports.ticket(t, earlier, dirt.customer(c), agent)));
        dirt.count(Dirt.Repair.RESENT_CSV_TICKETS, 1);
    }

    /**
     * A subscriber's billing CSV rows: the subscription, then each renewal attempt made by the cut; dirty, sometimes
     * an attempt exported twice. Returns the rows of the clean export.
     */
    private static long csvBilling(CustomerHistory h, int customer, long asOf, Dirt dirt, List<Item> rows) {
        if (!h.subscribed()) {
            return 0;
        }
        CsvExports.Subscription s = CsvExports.subscription(h, asOf);
        long tie = (long) customer << 20;
        CustomerProfile c = h.customer;
        rows.add(new Item(s.startedAt(), tie, CsvExports.subscriptionRow(s, dirt == null ? c : dirt.customer(c))));
        long written = 1;
        for (StripeEvent e : h.stripeEvents) {
            if (e.created() >= asOf || !CsvExports.isRenewalAttempt(e)) {
                continue;
            }
            String row = CsvExports.attemptRow(s, dirt == null ? c : dirt.customer(c), (StripeEvent.Invoice) e);
            rows.add(new Item(e.created(), tie | (e.seq() + 1), row));
            written++;
            if (dirt != null && dirt.duplicateAttempt()) {
                rows.add(new Item(e.created() + dirt.redeliveryDelay(), tie | (e.seq() + 1), row));
            }
        }
        return written;
    }

    /**
     * The instant just before which an earlier, different state of the ticket was exported: its solve (the ticket
     * was still open, no resolution yet) or, for a ticket not solved yet, its first reply (still new). NONE when the
     * ticket had no earlier state (a reply in the very minute it was created).
     */
    private static long earlierCut(SimTicket t, boolean solved, boolean replied) {
        if (solved) {
            return t.solvedAt();
        }
        if (replied && t.repliedAt() > t.createdAt()) {
            return t.repliedAt();
        }
        return NONE;
    }

    /**
     * A Stripe event; dirty, its customer email as that export wrote it, and sometimes the event delivered twice: the
     * copy (same id, same bytes) later in the same file or in a redelivery file of its own.
     */
    private static void stripeEvent(StripeEvent e, CustomerProfile c, int customer, Dirt dirt, List<Item> events,
                                    List<Item> redelivered) {
        // Ids sort as (customer, sequence), so this tie-breaker orders equal timestamps by event id.
        long tie = ((long) customer << 20) | e.seq();
        boolean carriesEmail = e instanceof StripeEvent.CustomerCreated || e instanceof StripeEvent.Invoice;
        CustomerProfile written = dirt != null && carriesEmail ? dirt.customer(c) : c;
        String json = render(w -> StripeJson.event(w, e, written));
        events.add(new Item(e.created(), tie, json));
        if (dirt == null) {
            return;
        }
        int duplicate = dirt.duplicateEvent();
        if (duplicate == Dirt.SAME_FILE) {
            events.add(new Item(e.created() + dirt.redeliveryDelay(), tie, json));
        } else if (duplicate == Dirt.OTHER_FILE) {
            redelivered.add(new Item(e.created() + dirt.redeliveryDelay(), tie, json));
        }
    }

    static Path claimPart(Path out, int chunk) {
        return new Path(new Path(out, LandingFiles.CLAIM_PARTS), String.format(Locale.ROOT,
                "claims-c%05d.csv", chunk));
    }

    private static String render(Consumer<JsonWriter> renderer) {
        StringBuilder sb = new StringBuilder(2048);
        renderer.accept(new JsonWriter(sb));
        return sb.toString();
    }

    /**
     * Cuts the source's records into pages and writes them; returns the number of files. Dirty: broken records are
     * inserted into random pages, file numbers are a permutation of the stream order, and a few pages are written
     * again under the next free numbers.
     */
    private int writePages(int chunk, PageSpec spec, List<Item> items, Dirt dirt, ChunkResult result)
            throws IOException {
        List<List<Item>> pages = new ArrayList<>();
        for (int from = 0; from < items.size(); from += spec.perPage()) {
            pages.add(new ArrayList<>(items.subList(from, Math.min(items.size(), from + spec.perPage()))));
        }
        if (pages.isEmpty()) {
            return 0;
        }
        if (dirt != null && dirt.plantsJunk()) {
            for (Junk.Spec junk : spec.junk()) {
                List<Item> page = pages.get(dirt.pick(pages.size()));
                String template = items.get(dirt.pick(items.size())).json();
                Junk.Built built = Junk.build(spec.source(), junk, template, dirt, false);
                page.add(dirt.pick(page.size() + 1), new Item(0, 0, built.text(), junk, built.id()));
            }
        }
        int[] numbers = dirt == null ? null : dirt.pageNumbers(pages.size());
        String[] names = new String[pages.size()];
        for (int p = 0; p < pages.size(); p++) {
            names[p] = LandingFiles.pageName(spec.prefix(), chunk, numbers == null ? p + 1 : numbers[p], "json");
            writePage(chunk, spec, pages, p, names[p], result, true);
        }
        int files = pages.size();
        if (dirt != null) {
            for (int p : dirt.pagesToCopy(pages.size())) {
                files++;
                String name = LandingFiles.pageName(spec.prefix(), chunk, files, "json");
                writePage(chunk, spec, pages, p, name, result, false);
                result.pageCopies.add(new Dirt.PageCopy(spec.source(), spec.dir() + "/" + name,
                        spec.dir() + "/" + names[p]));
            }
        }
        return files;
    }

    /**
     * One page file; its broken records are noted where the ingest will find them (line 1, array index), unless the
     * page is a copy: the ingest records a copy as a duplicate of the page it copies and never reads its records.
     */
    private void writePage(int chunk, PageSpec spec, List<List<Item>> pages, int p, String name, ChunkResult result,
                           boolean plant) throws IOException {
        List<Item> page = pages.get(p);
        StringBuilder sb = new StringBuilder(page.size() * 1500 + 256);
        spec.envelope().head(sb);
        for (int i = 0; i < page.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(page.get(i).json());
            Junk.Spec junk = page.get(i).junk();
            if (junk != null && plant) {
                result.planted.add(new Dirt.Planted(spec.source(), spec.dir() + "/" + name, 1, i,
                        junk.defect().key(), junk.field(), page.get(i).junkId()));
            }
        }
        spec.envelope().tail(sb, page, p, pages.size(), chunk);
        LandingFiles.writeText(fs, new Path(new Path(out, spec.dir()), name), sb);
    }

    /**
     * A canonical CSV source: a header row, then the records' rows, cut into files of {@link CsvSpec#perFile}
     * records (an order's rows stay in one file: its version is all its rows in one file). Dirty: broken rows at
     * random places, file numbers permuted, a file written again under the next number. A broken row's position is
     * what the ingest's CSV reader reports: its line (the header is line 1) and its index among the data rows.
     */
    private int writeCsvFiles(int chunk, CsvSpec spec, List<Item> items, Dirt dirt, ChunkResult result)
            throws IOException {
        List<List<Item>> files = new ArrayList<>();
        for (int from = 0; from < items.size(); from += spec.perFile()) {
            files.add(new ArrayList<>(items.subList(from, Math.min(items.size(), from + spec.perFile()))));
        }
        if (files.isEmpty()) {
            return 0;
        }
        if (dirt != null && dirt.plantsJunk()) {
            for (Junk.Spec junk : spec.junk()) {
                List<Item> file = files.get(dirt.pick(files.size()));
                String template = items.get(dirt.pick(items.size())).json();
                Junk.Built built = Junk.buildCsvRow(spec.source(), junk, spec.header(), template, dirt);
                file.add(dirt.pick(file.size() + 1), new Item(0, 0, built.text(), junk, built.id()));
            }
        }
        int[] numbers = dirt == null ? null : dirt.pageNumbers(files.size());
        String[] names = new String[files.size()];
        for (int f = 0; f < files.size(); f++) {
            names[f] = LandingFiles.pageName(spec.prefix(), chunk, numbers == null ? f + 1 : numbers[f], "csv");
            writeCsvFile(spec, files.get(f), names[f], result, true);
        }
        int count = files.size();
        if (dirt != null) {
            for (int f : dirt.pagesToCopy(files.size())) {
                count++;
                String name = LandingFiles.pageName(spec.prefix(), chunk, count, "csv");
                writeCsvFile(spec, files.get(f), name, result, false);
                result.pageCopies.add(new Dirt.PageCopy(spec.source(), spec.dir() + "/" + name,
                        spec.dir() + "/" + names[f]));
            }
        }
        return count;
    }

    /** One CSV file; like {@link #writePage}, a copy's broken rows are not noted. */
    private void writeCsvFile(CsvSpec spec, List<Item> records, String name, ChunkResult result, boolean plant)
            throws IOException {
        StringBuilder sb = new StringBuilder(records.size() * 300 + 256);
        sb.append(spec.header()).append('\n');
        long row = 0;
        for (Item item : records) {
            if (item.junk() != null && plant) {
                result.planted.add(new Dirt.Planted(spec.source(), spec.dir() + "/" + name, row + 2, row,
                        item.junk().defect().key(), item.junk().field(), item.junkId()));
            }
            sb.append(item.json()).append('\n');
            row += 1 + item.json().chars().filter(ch -> ch == '\n').count();
        }
        LandingFiles.writeText(fs, new Path(new Path(out, spec.dir()), name), sb);
    }

    /**
     * JSON Lines, sorted by {@code created}, split into files of at most {@link #EVENTS_PER_FILE} events. Dirty:
     * broken lines inserted at random places, and the events delivered a second time in a file after the others.
     */
    private int writeEventFiles(int chunk, List<Item> events, List<Item> redelivered, Dirt dirt, ChunkResult result)
            throws IOException {
        List<List<Item>> files = new ArrayList<>();
        for (int from = 0; from < events.size(); from += EVENTS_PER_FILE) {
            files.add(new ArrayList<>(events.subList(from, Math.min(events.size(), from + EVENTS_PER_FILE))));
        }
        if (dirt != null && dirt.plantsJunk() && !files.isEmpty()) {
            for (Junk.Spec junk : Junk.STRIPE_EVENTS) {
                List<Item> file = files.get(dirt.pick(files.size()));
                String template = events.get(dirt.pick(events.size())).json();
                Junk.Built built = Junk.build(Sources.STRIPE_EVENTS, junk, template, dirt, true);
                file.add(dirt.pick(file.size() + 1), new Item(0, 0, built.text(), junk, built.id()));
            }
        }
        if (!redelivered.isEmpty()) {
            files.add(redelivered);
        }
        for (int f = 0; f < files.size(); f++) {
            List<Item> lines = files.get(f);
            String name = LandingFiles.pageName("events", chunk, f + 1, "jsonl");
            StringBuilder sb = new StringBuilder(lines.size() * 1400);
            for (int i = 0; i < lines.size(); i++) {
                Item item = lines.get(i);
                sb.append(item.json()).append('\n');
                if (item.junk() != null) {
                    result.planted.add(new Dirt.Planted(Sources.STRIPE_EVENTS,
                            LandingFiles.STRIPE_EVENTS + "/" + name, i + 1, i, item.junk().defect().key(),
                            item.junk().field(), item.junkId()));
                }
            }
            LandingFiles.writeText(fs, new Path(new Path(out, LandingFiles.STRIPE_EVENTS), name), sb);
        }
        return files.size();
    }
}
