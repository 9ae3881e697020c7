package io.supportroi.generate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What one chunk reports back to the driver: counts and partial sums only, a few hundred bytes whatever the chunk's
 * size, so the driver never holds data that grows with the number of customers.
 */
final class ChunkResult implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Sources in the order the summary lists them. */
    static final String[] SOURCES = {LandingFiles.TICKETS, LandingFiles.TICKET_METRICS, LandingFiles.USERS,
            LandingFiles.GORGIAS_TICKETS, LandingFiles.GORGIAS_SURVEYS, LandingFiles.CSV_TICKETS, LandingFiles.ORDERS,
            LandingFiles.CSV_ORDERS, LandingFiles.STRIPE_EVENTS, LandingFiles.CSV_BILLING, LandingFiles.CLAIMS_CSV};
    static final int TICKETS = 0;
    static final int METRICS = 1;
    static final int USERS = 2;
    static final int GORGIAS_TICKETS = 3;
    static final int GORGIAS_SURVEYS = 4;
    static final int CSV_TICKETS = 5;
    static final int ORDERS = 6;
    /** Orders of the orders CSV (records: orders, not rows). */
    static final int CSV_ORDERS = 7;
    static final int STRIPE = 8;
    /** Rows of the billing CSV: one per subscription and one per renewal attempt. */
    static final int CSV_BILLING = 9;
    static final int CLAIMS = 10;

    final int chunk;
    /** Distinct real records per source (a re-sent or duplicated record counts once, a broken one not at all). */
    final long[] records = new long[SOURCES.length];
    /** Files written per source, repeated pages and redelivery files included. */
    final long[] files = new long[SOURCES.length];
    /** {@code --dirty}: repairable dirt per {@link Dirt.Repair}, broken records planted, pages written twice. */
    final long[] repairs = new long[Dirt.Repair.values().length];
    final List<Dirt.Planted> planted = new ArrayList<>();
    final List<Dirt.PageCopy> pageCopies = new ArrayList<>();
    long customers;
    long subscribers;
    /** Welcome outreaches whose 14-day conversion window ended by the as-of date, and how many converted. */
    long upsellContacted;
    long upsellConverted;
    /** Failed renewals whose whole dunning and win-back process (26 days) ended by the as-of date. */
    long failedRenewals;
    long recoveredByDunning;
    long handedToSupport;
    long recoveredBySupport;
    long lost;
    final ExpectedRetention expected;
    final PnlTruth pnl;

    ChunkResult(int chunk, Business b) {
        this.chunk = chunk;
        this.expected = new ExpectedRetention(b.bucketBoundsHours);
        this.pnl = new PnlTruth(b.calendarMonths);
    }

    void add(CustomerHistory h, Business b) {
        customers++;
        if (h.subscribed()) {
            subscribers++;
        }
        expected.add(h, b);
        pnl.add(h, b);
        for (CustomerHistory.UpsellContact u : h.upsellContacts) {
            if (u.contactedAt() + CustomerSimulator.UPSELL_WINDOW < b.endExclusiveSec) {
                upsellContacted++;
                if (u.converted()) {
                    upsellConverted++;
                }
            }
        }
        for (CustomerHistory.FailedRenewal f : h.failedRenewals) {
            if (f.renewalAt() + CustomerSimulator.LOST_AFTER >= b.endExclusiveSec) {
                continue;
            }
            failedRenewals++;
            switch (f.outcome()) {
                case DUNNING -> recoveredByDunning++;
                case SUPPORT -> {
                    handedToSupport++;
                    recoveredBySupport++;
                }
                case LOST -> {
                    handedToSupport++;
                    lost++;
                }
            }
        }
    }

    /**
     * Bytes for the trip back to the driver. Spark's encoders only take public classes; a binary column keeps this
     * class internal to the package.
     */
    byte[] toBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(this);
        }
        return bytes.toByteArray();
    }

    static ChunkResult fromBytes(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (ChunkResult) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read a chunk result", e);
        }
    }

    void merge(ChunkResult other) {
        for (int i = 0; i < SOURCES.length; i++) {
            records[i] += other.records[i];
            files[i] += other.files[i];
        }
        for (int i = 0; i < repairs.length; i++) {
            repairs[i] += other.repairs[i];
        }
        planted.addAll(other.planted);
        pageCopies.addAll(other.pageCopies);
        customers += other.customers;
        subscribers += other.subscribers;
        upsellContacted += other.upsellContacted;
        upsellConverted += other.upsellConverted;
        failedRenewals += other.failedRenewals;
        recoveredByDunning += other.recoveredByDunning;
        handedToSupport += other.handedToSupport;
        recoveredBySupport += other.recoveredBySupport;
        lost += other.lost;
        expected.merge(other.expected);
        pnl.merge(other.pnl);
    }
}
