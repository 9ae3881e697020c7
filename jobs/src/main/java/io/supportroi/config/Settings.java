package io.supportroi.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting the pipeline reads, built once per process and passed down. Precedence, lowest first:
 * {@code reference.conf}, the {@code --conf} file, environment variables (paths only), command-line flags.
 */
public record Settings(
        String landing,
        String warehouse,
        SparkSettings spark,
        IdentitySettings identity,
        ChannelSettings channels,
        AnalyticsSettings analytics,
        CampaignSettings campaigns,
        PnlSettings pnl,
        KpiSettings kpi,
        IngestSettings ingest,
        WorklistSettings worklists,
        QualitySettings quality,
        ExportSettings exports,
        CatalogSettings catalog,
        PrivacySettings privacy,
        DecisionSettings decisions) {

    public static final String ENV_WAREHOUSE = "SUPPORTROI_WAREHOUSE";
    public static final String ENV_LANDING = "SUPPORTROI_LANDING";
    /** The key of the keyed hash that stands for a customer in exports: from the environment only, never a file. */
    public static final String ENV_HASH_KEY = "SUPPORTROI_HASH_KEY";

    /**
     * @param smallDataMb    in local mode, landing plus warehouse below this size get the settings for small data
     *                       ({@code SparkSessions}); 0 turns that off
     * @param smallSilverMb  in local mode, silver below this size gets the quality gates and gold the settings for
     *                       small data even when the whole run does not; 0 turns that off
     * @param onePartitionMb of small data, what is below this size runs in one partition, not two; 0 turns that off
     */
    public record SparkSettings(String master, int shufflePartitions, String logLevel, Map<String, String> extra,
                                long smallDataMb, long smallSilverMb, long onePartitionMb) {
        public SparkSettings {
            positive("supportroi.spark.shuffle-partitions", shufflePartitions);
            if (smallDataMb < 0) {
                throw new IllegalArgumentException("supportroi.spark.small-data-mb must be 0 (off) or more: "
                        + smallDataMb);
            }
            if (smallSilverMb < 0) {
                throw new IllegalArgumentException("supportroi.spark.small-silver-mb must be 0 (off) or more: "
                        + smallSilverMb);
            }
            if (onePartitionMb < 0) {
                throw new IllegalArgumentException("supportroi.spark.one-partition-mb must be 0 (off) or more: "
                        + onePartitionMb);
            }
            extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
        }

        /** Exactly these settings: no automatic choice for small data. */
        public SparkSettings(String master, int shufflePartitions, String logLevel, Map<String, String> extra) {
            this(master, shufflePartitions, logLevel, extra, 0, 0, 0);
        }
    }

    public record IdentitySettings(List<String> plusTagDomains) {
        public IdentitySettings {
            plusTagDomains = List.copyOf(plusTagDomains);
        }
    }

    /** Exact source-name mapping plus prefix rules (Gorgias "facebook-messenger" and friends). */
    public record ChannelSettings(Map<String, String> mapping, Map<String, String> prefixes) {
        public ChannelSettings {
            mapping = Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
            prefixes = Collections.unmodifiableMap(new LinkedHashMap<>(prefixes));
        }
    }

    /**
     * SPEC §8: the speed effect's intervals and the staffing scenarios.
     *
     * @param agentMonthlyCost an added agent's fully loaded monthly cost, in the shop's currency
     * @param onDutyShare      share of the week's hours one agent is on duty (40 h of 168 for a full-time agent)
     * @param minutesPerReply  handling time per agent reply where no source gives handle_seconds
     */
    public record DecisionSettings(double confidence, long bootstrapSeed, int maxAgentsAdded, double agentMonthlyCost,
                                   double onDutyShare, double minutesPerReply, int windowDays) {
        public DecisionSettings {
            if (!(confidence > 0 && confidence < 1)) {
                throw new IllegalArgumentException("supportroi.decisions.confidence must be in (0, 1): " + confidence);
            }
            if (maxAgentsAdded < 0 || !(onDutyShare > 0 && onDutyShare <= 1) || !(minutesPerReply > 0)
                    || windowDays < 1 || agentMonthlyCost < 0) {
                throw new IllegalArgumentException("supportroi.decisions.staffing: max-agents-added >= 0, "
                        + "on-duty-share in (0, 1], minutes-per-reply > 0, window-days >= 1, agent-monthly-cost >= 0");
            }
        }
    }

    public record AnalyticsSettings(int retentionHorizonDays, List<Double> speedBucketBoundsHours, double wilsonZ,
                                    int churnWindowDays, int agentMinCustomers) {
        public AnalyticsSettings {
            positive("supportroi.analytics.retention-horizon-days", retentionHorizonDays);
            positive("supportroi.analytics.churn-window-days", churnWindowDays);
            positive("supportroi.analytics.agent-min-customers", agentMinCustomers);
            speedBucketBoundsHours = List.copyOf(speedBucketBoundsHours);
            for (int i = 1; i < speedBucketBoundsHours.size(); i++) {
                if (speedBucketBoundsHours.get(i) <= speedBucketBoundsHours.get(i - 1)) {
                    throw new IllegalArgumentException(
                            "supportroi.analytics.speed-bucket-bounds-hours must be strictly ascending: "
                                    + speedBucketBoundsHours);
                }
            }
        }
    }

    public record IngestSettings(long maxFileBytes) {
        public IngestSettings {
            positive("supportroi.ingest.max-file-bytes", maxFileBytes);
        }
    }

    /**
     * Ticket tags that mark support's outbound campaigns, how long after an outreach an order counts as its
     * conversion, and how long dunning (card retries) runs after a failed renewal before the subscriber counts as
     * not recovered by it.
     */
    public record CampaignSettings(String upsellTag, String winbackTag, int conversionWindowDays,
                                   int dunningWindowDays) {
        public CampaignSettings {
            positive("supportroi.campaigns.conversion-window-days", conversionWindowDays);
            positive("supportroi.campaigns.dunning-window-days", dunningWindowDays);
        }
    }

    /**
     * Support P&L: the share of refunds and replacements charged to support, the order tags that mark a
     * replacement shipped free to a customer, and the shop's currency (ISO 4217), the only one money is summed in.
     */
    public record PnlSettings(double refundShare, List<String> replacementOrderTags, String currency) {
        public PnlSettings {
            replacementOrderTags = List.copyOf(replacementOrderTags);
            if (currency == null || !currency.matches("[A-Za-z]{3}")) {
                throw new IllegalArgumentException("supportroi.pnl.currency must be a three-letter ISO 4217 code: "
                        + currency);
            }
            currency = currency.toUpperCase(java.util.Locale.ROOT);
            if (refundShare < 0 || refundShare > 1) {
                throw new IllegalArgumentException("supportroi.pnl.refund-share must be between 0 and 1: " + refundShare);
            }
        }
    }

    /**
     * The lists support acts on each morning (SPEC §5): the day of the month of the box cut-off (renewals run on it),
     * how far back a customer's revenue counts as their value, and how many customers the open-ticket list keeps.
     */
    public record WorklistSettings(int boxCutoffDay, int valueWindowDays, int topCustomers) {
        public WorklistSettings {
            // Days 29-31 do not exist in every month: a cut-off there would silently move between months.
            if (boxCutoffDay < 1 || boxCutoffDay > 28) {
                throw new IllegalArgumentException(
                        "supportroi.worklists.box-cutoff-day must be between 1 and 28: " + boxCutoffDay);
            }
            if (valueWindowDays < 1) {
                throw new IllegalArgumentException(
                        "supportroi.worklists.value-window-days must be positive: " + valueWindowDays);
            }
            if (topCustomers < 1) {
                throw new IllegalArgumentException(
                        "supportroi.worklists.top-customers must be positive: " + topCustomers);
            }
        }
    }

    /**
     * Data-quality gates between silver and gold (see reference.conf): whether they run, and their thresholds.
     */
    public record QualitySettings(boolean enabled, double maxRowDrop, double maxUnmatchedShare,
                                  long minRecordsForShare, double maxSourceLagDays) {
        public QualitySettings {
            if (maxRowDrop < 0 || maxRowDrop > 1) {
                throw new IllegalArgumentException("supportroi.quality.max-row-drop must be between 0 and 1: " + maxRowDrop);
            }
            if (maxUnmatchedShare < 0 || maxUnmatchedShare > 1) {
                throw new IllegalArgumentException(
                        "supportroi.quality.max-unmatched-share must be between 0 and 1: " + maxUnmatchedShare);
            }
            if (minRecordsForShare < 1 || maxSourceLagDays < 0) {
                throw new IllegalArgumentException("supportroi.quality.min-records-for-share must be at least 1 and "
                        + "max-source-lag-days at least 0");
            }
        }
    }

    /** Support KPIs: the resolution window and the team's targets (SPEC §5). */
    public record KpiSettings(int resolutionWindowDays, double maxMedianFirstResponseSeconds, double minCsat,
                              double minResolutionRate) {
        public KpiSettings {
            positive("supportroi.kpi.resolution-window-days", resolutionWindowDays);
        }
    }

    /** Sizes, counts and windows: zero or less would make an empty or meaningless run, not a smaller one. */
    private static void positive(String key, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1: " + value);
        }
    }

    /** @param gold every gold table also written as CSV and Parquet under {@code ${warehouse}/exports/<as-of>/} */
    public record ExportSettings(boolean gold) {}

    /**
     * @param hiveMetastore also register every table in a Hive metastore, for other Spark SQL clients
     * @param metastoreUri blank: an embedded Derby metastore under {@code ${warehouse}/_metastore}; else a
     *                     {@code thrift://} URI
     */
    public record CatalogSettings(boolean hiveMetastore, String metastoreUri) {}

    /**
     * @param hashKey the key exports' customer keys are made with; null when {@code SUPPORTROI_HASH_KEY} is unset,
     *                and exports then carry no customer column at all
     */
    public record PrivacySettings(String hashKey) {
        public static final int MIN_KEY_CHARS = 16;
        public static final PrivacySettings NO_KEY = new PrivacySettings(null);

        public PrivacySettings {
            if (hashKey != null && hashKey.length() < MIN_KEY_CHARS) {
                throw new IllegalArgumentException(ENV_HASH_KEY + " is shorter than " + MIN_KEY_CHARS
                        + " characters: a short key can be found by trying them all");
            }
        }

        public java.util.Optional<byte[]> key() {
            return java.util.Optional.ofNullable(hashKey).map(k -> k.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /**
         * Never the key itself (settings reach logs and gold's fingerprint), but a short digest of it, so that a new
         * key still changes the fingerprint and gold's exports are written again.
         */
        @Override
        public String toString() {
            if (hashKey == null) {
                return "PrivacySettings[hashKey=unset]";
            }
            try {
                byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(
                        ("supportroi key id:" + hashKey).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return "PrivacySettings[hashKey=set, id " + java.util.HexFormat.of().formatHex(d, 0, 4) + "]";
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Path overrides from the command line; null means "not given". */
    public record Overrides(String landing, String warehouse) {
        public static final Overrides NONE = new Overrides(null, null);
    }

    public static Settings load(File confFile, Overrides overrides) {
        return load(confFile, overrides, System.getenv());
    }

    public static Settings load(File confFile, Overrides overrides, Map<String, String> env) {
        Config reference = ConfigFactory.parseResources(Settings.class.getClassLoader(), "reference.conf");
        Config config = reference;
        if (confFile != null) {
            if (!confFile.exists()) {
                throw new IllegalArgumentException("config file not found: " + confFile);
            }
            if (!confFile.isFile()) {
                throw new IllegalArgumentException("config file " + confFile + " is a folder, not a file");
            }
        }
        try {
            if (confFile != null) {
                // A syntax error is a ConfigException.Parse; its message names the file and line.
                Config file = ConfigFactory.parseFile(confFile, ConfigParseOptions.defaults().setAllowMissing(false));
                config = file.withFallback(reference);
            }
            return build(config.resolve(), reference, confFile, overrides, env);
        } catch (ConfigException e) {
            // Typesafe's message starts with the file and line it came from, when it knows them.
            boolean named = confFile == null || String.valueOf(e.getMessage()).contains(confFile.getPath());
            throw new IllegalArgumentException("invalid configuration" + (named ? "" : " in " + confFile) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Maps under these paths are open: any key is a user's own entry, not a typo. */
    private static final List<String> OPEN_MAPS = List.of("supportroi.spark.extra", "supportroi.channels.mapping",
            "supportroi.channels.prefixes");

    private static Settings build(Config config, Config reference, File confFile, Overrides overrides,
                                  Map<String, String> env) {
        String where = confFile == null ? "" : " in " + confFile;
        try {
            config.checkValid(reference.resolve(), "supportroi");
        } catch (ConfigException.ValidationFailed e) {
            throw new IllegalArgumentException("invalid configuration" + where + ": " + e.getMessage(), e);
        }
        for (Map.Entry<String, ConfigValue> e : config.getConfig("supportroi").entrySet()) {
            String path = "supportroi." + e.getKey();
            boolean open = OPEN_MAPS.stream().anyMatch(m -> path.startsWith(m + "."));
            if (!open && !reference.hasPathOrNull(path)) {
                throw new IllegalArgumentException("unknown configuration key " + path + where
                        + " (see reference.conf for the keys there are)");
            }
        }
        Config c = config.getConfig("supportroi");
        String landing = firstNonBlank("supportroi.landing" + where,
                overrides.landing(), env.get(ENV_LANDING), c.getString("landing"));
        String warehouse = firstNonBlank("supportroi.warehouse" + where,
                overrides.warehouse(), env.get(ENV_WAREHOUSE), c.getString("warehouse"));
        // Built from the environment, not the file: its complaint must not name the file.
        PrivacySettings privacy = new PrivacySettings(blankToNull(env.get(ENV_HASH_KEY)));
        try {
            return fromFile(c, landing, warehouse, privacy);
        } catch (IllegalArgumentException e) {
            // The records name the key; the file is where to fix it.
            throw new IllegalArgumentException(e.getMessage() + (confFile == null ? "" : " (in " + confFile + ")"), e);
        }
    }

    private static Settings fromFile(Config c, String landing, String warehouse, PrivacySettings privacy) {
        return new Settings(
                landing,
                warehouse,
                new SparkSettings(
                        c.getString("spark.master"),
                        c.getInt("spark.shuffle-partitions"),
                        c.getString("spark.log-level"),
                        stringMap(c.getConfig("spark.extra")),
                        c.getLong("spark.small-data-mb"),
                        c.getLong("spark.small-silver-mb"),
                        c.getLong("spark.one-partition-mb")),
                new IdentitySettings(c.getStringList("identity.plus-tag-domains")),
                new ChannelSettings(stringMap(c.getConfig("channels.mapping")), stringMap(c.getConfig("channels.prefixes"))),
                new AnalyticsSettings(
                        c.getInt("analytics.retention-horizon-days"),
                        new ArrayList<>(c.getDoubleList("analytics.speed-bucket-bounds-hours")),
                        c.getDouble("analytics.wilson-z"),
                        c.getInt("analytics.churn-window-days"),
                        c.getInt("analytics.agent-min-customers")),
                new CampaignSettings(c.getString("campaigns.upsell-tag"), c.getString("campaigns.winback-tag"),
                        c.getInt("campaigns.conversion-window-days"), c.getInt("campaigns.dunning-window-days")),
                new PnlSettings(c.getDouble("pnl.refund-share"), c.getStringList("pnl.replacement-order-tags"),
                        c.getString("pnl.currency")),
                new KpiSettings(c.getInt("kpi.resolution-window-days"),
                        c.getDouble("kpi.targets.max-median-first-response-seconds"),
                        c.getDouble("kpi.targets.min-csat"), c.getDouble("kpi.targets.min-resolution-rate")),
                new IngestSettings(c.getBytes("ingest.max-file-bytes")),
                new WorklistSettings(c.getInt("worklists.box-cutoff-day"), c.getInt("worklists.value-window-days"),
                        c.getInt("worklists.top-customers")),
                new QualitySettings(c.getBoolean("quality.enabled"), c.getDouble("quality.max-row-drop"),
                        c.getDouble("quality.max-unmatched-share"), c.getLong("quality.min-records-for-share"),
                        c.getDouble("quality.max-source-lag-days")),
                new ExportSettings(c.getBoolean("exports.gold")),
                new CatalogSettings(c.getBoolean("catalog.hive-metastore"), c.getString("catalog.metastore-uri")),
                privacy,
                new DecisionSettings(c.getDouble("decisions.confidence"), c.getLong("decisions.bootstrap-seed"),
                        c.getInt("decisions.staffing.max-agents-added"),
                        c.getDouble("decisions.staffing.agent-monthly-cost"),
                        c.getDouble("decisions.staffing.on-duty-share"),
                        c.getDouble("decisions.staffing.minutes-per-reply"),
                        c.getInt("decisions.staffing.window-days")));
    }

    /** Defaults only (tests and library use). */
    public static Settings defaults() {
        return load(null, Overrides.NONE, Map.of());
    }

    public Settings withPaths(String newLanding, String newWarehouse) {
        return new Settings(newLanding, newWarehouse, spark, identity, channels, analytics, campaigns, pnl, kpi, ingest,
                worklists, quality, exports, catalog, privacy, decisions);
    }

    public Settings withSpark(SparkSettings newSpark) {
        return new Settings(landing, warehouse, newSpark, identity, channels, analytics, campaigns, pnl, kpi, ingest,
                worklists, quality, exports, catalog, privacy, decisions);
    }

    public Settings withAnalytics(AnalyticsSettings newAnalytics) {
        return new Settings(landing, warehouse, spark, identity, channels, newAnalytics, campaigns, pnl, kpi, ingest,
                worklists, quality, exports, catalog, privacy, decisions);
    }

    public Settings withQuality(QualitySettings newQuality) {
        return new Settings(landing, warehouse, spark, identity, channels, analytics, campaigns, pnl, kpi, ingest,
                worklists, newQuality, exports, catalog, privacy, decisions);
    }

    public Settings withPrivacy(PrivacySettings newPrivacy) {
        return new Settings(landing, warehouse, spark, identity, channels, analytics, campaigns, pnl, kpi, ingest,
                worklists, quality, exports, catalog, newPrivacy, decisions);
    }

    public Settings withExports(ExportSettings newExports) {
        return new Settings(landing, warehouse, spark, identity, channels, analytics, campaigns, pnl, kpi, ingest,
                worklists, quality, newExports, catalog, privacy, decisions);
    }

    private static Map<String, String> stringMap(Config config) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : config.root().entrySet()) {
            out.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String firstNonBlank(String what, String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        throw new IllegalArgumentException(what + " is empty and no flag or environment variable gives it");
    }
}
