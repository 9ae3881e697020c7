package io.supportroi.model;

import io.supportroi.config.Settings;
import org.apache.spark.sql.Column;

import java.util.Map;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/** Source channel names to the normalised set (email, chat, social, phone, sms, web, other), from config. */
public final class Channels {
    private Channels() {}

    public static final String OTHER = "other";

    public static Column normalise(Column sourceChannel, Settings.ChannelSettings settings) {
        Column c = lower(trim(sourceChannel));
        Column out = null;
        for (Map.Entry<String, String> e : settings.mapping().entrySet()) {
            Column cond = c.equalTo(e.getKey());
            out = out == null ? when(cond, lit(e.getValue())) : out.when(cond, lit(e.getValue()));
        }
        for (Map.Entry<String, String> e : settings.prefixes().entrySet()) {
            Column cond = c.startsWith(e.getKey());
            out = out == null ? when(cond, lit(e.getValue())) : out.when(cond, lit(e.getValue()));
        }
        return out == null ? lit(OTHER) : out.otherwise(lit(OTHER));
    }
}
