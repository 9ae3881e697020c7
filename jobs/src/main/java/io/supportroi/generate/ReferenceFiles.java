package io.supportroi.generate;

/** The reference CSVs (SPEC §2): exact headers, money with two decimals, timestamps ISO-8601 UTC. */
final class ReferenceFiles {
    private ReferenceFiles() {}

    static final String AGENTS_HEADER = "agent_email,agent_name,team,monthly_cost,discount_code\n";
    static final String COSTS_HEADER = "month,item,amount\n";
    static final String PRODUCTS_HEADER = "sku,unit_cost\n";
    static final String CLAIMS_HEADER =
            "claim_id,order_id,carrier,filed_at,amount_claimed,amount_recovered,recovered_at,agent_email\n";

    /** Helpdesk licence per agent seat and month. */
    static final long PLATFORM_SEAT_CENTS = 11_500;
    /** QA, macros and analytics add-ons: a base fee plus a per-seat part. */
    static final long TOOLS_BASE_CENTS = 39_000;
    static final long TOOLS_SEAT_CENTS = 2_500;

    static StringBuilder agents(AgentProfile[] agents) {
        StringBuilder sb = new StringBuilder(AGENTS_HEADER);
        for (AgentProfile a : agents) {
            Csv.row(sb, a.email(), a.name(), a.teamName(), Csv.money(a.monthlyCostCents()), a.discountCode());
        }
        return sb;
    }

    /** One row per item for every calendar month of the period: costs run with or without tickets. */
    static StringBuilder costs(Business b) {
        StringBuilder sb = new StringBuilder(COSTS_HEADER);
        long seats = b.agents.length;
        for (int k = 0; k < b.calendarMonths; k++) {
            String month = b.firstMonth.plusMonths(k).toString();
            Csv.row(sb, month, "helpdesk_platform", Csv.money(seats * PLATFORM_SEAT_CENTS));
            Csv.row(sb, month, "tools", Csv.money(TOOLS_BASE_CENTS + seats * TOOLS_SEAT_CENTS));
        }
        return sb;
    }

    /** Every item of {@link #costs} for one month. */
    static long monthlyPlatformCostCents(Business b) {
        long seats = b.agents.length;
        return seats * PLATFORM_SEAT_CENTS + TOOLS_BASE_CENTS + seats * TOOLS_SEAT_CENTS;
    }

    static StringBuilder products() {
        StringBuilder sb = new StringBuilder(PRODUCTS_HEADER);
        for (Catalog.Product p : Catalog.all()) {
            Csv.row(sb, p.sku(), Csv.money(p.unitCostCents()));
        }
        return sb;
    }

    /** A claim as known on the as-of date: a recovery after it is not known yet (both recovery fields empty). */
    static void claimRow(StringBuilder sb, SimClaim c, Business b, long asOf) {
        boolean recovered = c.recoveredAt() != SimClaim.NOT_RECOVERED && c.recoveredAt() < asOf;
        Csv.row(sb, c.claimId(), Long.toString(c.orderId()), c.carrier(), Times.utc(c.filedAt()),
                Csv.money(c.claimedCents()), recovered ? Csv.money(c.recoveredCents()) : "",
                recovered ? Times.utc(c.recoveredAt()) : "", b.agents[c.agent()].email());
    }
}
