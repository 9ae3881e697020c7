package io.supportroi.model;

import io.supportroi.config.Settings;
import org.apache.spark.sql.Column;

import java.util.List;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.element_at;

/** How an email and a source id become one customer id, the same way in every table. */
public final class Identity {
    private Identity() {}

    /** Trimmed, lower-cased; "+tag" dropped for the configured domains only. Blank becomes null. */
    public static Column normaliseEmail(Column email, Settings.IdentitySettings settings) {
        Column e = lower(trim(email));
        Column domain = element_at(split(e, "@"), -1);
        List<String> domains = settings.plusTagDomains();
        Column stripped = regexp_replace(e, "\\+[^@]*@", "@");
        Column out = domains.isEmpty() ? e : when(domain.isin(domains.toArray()), stripped).otherwise(e);
        return when(e.isNull().or(e.equalTo("")).or(e.contains("@").equalTo(false)), lit(null)).otherwise(out);
    }

    /**
     * Aggregate: {@code value} as of the latest sighting that has one. Dated sightings win over undated ones (a
     * users export without {@code created_at}), which only fill a gap: an email seen once, with no time, is still the
     * person's email. Two sightings at the same time go to the greater value, so the answer never depends on the
     * order records were read in.
     */
    public static Column latestSighting(Column value, Column seenAt) {
        return max_by(value, when(value.isNotNull(), struct(seenAt.isNotNull(), seenAt, value)));
    }

    /** Customer id from a normalised email: stable across sources and runs, opaque to readers. */
    public static Column customerIdFromEmail(Column normalisedEmail) {
        return concat(lit("c_"), substring(sha2(normalisedEmail, 256), 1, 20));
    }

    /** Customer id for someone known only by one source's id (no email anywhere). */
    public static Column customerIdFromSourceId(Column source, Column sourceId) {
        return concat(lit("c_"), substring(sha2(concat(source, lit(":"), sourceId), 256), 1, 20));
    }
}
