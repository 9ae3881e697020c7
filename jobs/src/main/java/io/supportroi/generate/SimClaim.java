package io.supportroi.generate;

/** A carrier claim for a lost parcel, filed by an agent; {@code recoveredAt} is -1 when the carrier never paid. */
record SimClaim(
        long orderId,
        String carrier,
        long filedAt,
        long claimedCents,
        long recoveredCents,
        long recoveredAt,
        int agent) {

    static final long NOT_RECOVERED = -1;

    String claimId() {
        return Ids.claim(orderId);
    }
}
