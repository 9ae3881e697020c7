package io.supportroi.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @Test
    void referenceDefaultsMatchTheSpec() {
        Settings s = Settings.defaults();
        assertThat(s.analytics().retentionHorizonDays()).isEqualTo(90);
        assertThat(s.analytics().speedBucketBoundsHours()).containsExactly(1.0, 4.0, 24.0, 72.0);
        assertThat(s.analytics().wilsonZ()).isEqualTo(1.959963984540054);
        assertThat(s.channels().mapping()).containsEntry("native_messaging", "chat").containsEntry("voice", "phone");
        assertThat(s.campaigns().dunningWindowDays()).isEqualTo(12);
        assertThat(s.pnl().refundShare()).isEqualTo(0.10);
        assertThat(s.pnl().replacementOrderTags()).containsExactly("replacement");
        assertThat(s.pnl().currency()).isEqualTo("USD");
        assertThat(s.kpi().resolutionWindowDays()).isEqualTo(7);
        assertThat(s.kpi().maxMedianFirstResponseSeconds()).isEqualTo(120.0);
        assertThat(s.kpi().minCsat()).isEqualTo(0.85);
        assertThat(s.kpi().minResolutionRate()).isEqualTo(0.90);
    }

    @Test
    void pnlAndKpiSettingsComeFromTheFile(@TempDir Path dir) throws Exception {
        File conf = dir.resolve("pnl.conf").toFile();
        Files.writeString(conf.toPath(), "supportroi { pnl.refund-share = 0.2, pnl.currency = eur,"
                + " kpi.targets.min-csat = 0.9 }");
        Settings s = Settings.load(conf, Settings.Overrides.NONE, Map.of());
        assertThat(s.pnl().refundShare()).isEqualTo(0.2);
        assertThat(s.pnl().currency()).isEqualTo("EUR");
        assertThat(s.kpi().minCsat()).isEqualTo(0.9);
        assertThat(s.kpi().minResolutionRate()).isEqualTo(0.90);
    }

    @Test
    void aRefundShareAboveOneIsRefused(@TempDir Path dir) throws Exception {
        File conf = dir.resolve("share.conf").toFile();
        Files.writeString(conf.toPath(), "supportroi.pnl.refund-share = 10");
        assertThatThrownBy(() -> Settings.load(conf, Settings.Overrides.NONE, Map.of()))
                .hasMessageContaining("refund-share");
        File euro = dir.resolve("euro.conf").toFile();
        Files.writeString(euro.toPath(), "supportroi.pnl.currency = \"€\"");
        assertThatThrownBy(() -> Settings.load(euro, Settings.Overrides.NONE, Map.of()))
                .hasMessageContaining("supportroi.pnl.currency");
    }

    @Test
    void precedenceIsFlagThenEnvironmentThenFileThenReference(@TempDir Path dir) throws Exception {
        File conf = dir.resolve("x.conf").toFile();
        Files.writeString(conf.toPath(), "supportroi { warehouse = \"/from/file\", landing = \"/landing/file\", "
                + "analytics.retention-horizon-days = 30 }");
        Map<String, String> env = Map.of(Settings.ENV_WAREHOUSE, "/from/env");
        Settings s = Settings.load(conf, Settings.Overrides.NONE, env);
        assertThat(s.warehouse()).isEqualTo("/from/env");
        assertThat(s.landing()).isEqualTo("/landing/file");
        assertThat(s.analytics().retentionHorizonDays()).isEqualTo(30);
        Settings flagged = Settings.load(conf, new Settings.Overrides("/l/flag", "/w/flag"), env);
        assertThat(flagged.warehouse()).isEqualTo("/w/flag");
        assertThat(flagged.landing()).isEqualTo("/l/flag");
    }

    @Test
    void aWrongTypeIsRefusedNamingTheKeyAndFile(@TempDir Path dir) throws Exception {
        File conf = dir.resolve("bad.conf").toFile();
        Files.writeString(conf.toPath(), "supportroi.analytics.retention-horizon-days = \"ninety\"");
        assertThatThrownBy(() -> Settings.load(conf, Settings.Overrides.NONE, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retention-horizon-days")
                .hasMessageContaining("bad.conf");
    }

    @Test
    void anUnknownKeyIsRefusedNamingTheKeyAndFile(@TempDir Path dir) throws Exception {
        File conf = dir.resolve("typo.conf").toFile();
        Files.writeString(conf.toPath(), "supportroi.analytics.retention-horizon-dayz = 30\n"
                + "supportroi.spark.extra { \"spark.executor.memory\" = \"2g\" }");
        assertThatThrownBy(() -> Settings.load(conf, Settings.Overrides.NONE, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("supportroi.analytics.retention-horizon-dayz")
                .hasMessageContaining("typo.conf");
    }

    @Test
    void unsortedBucketsAreRefused() {
        assertThatThrownBy(() -> new Settings.AnalyticsSettings(90, List.of(4.0, 1.0), 1.96, 60, 30))
                .hasMessageContaining("ascending");
    }

    @Test
    void worklistSettingsDefaultToTheGeneratorsCutOffAndComeFromTheFile(@TempDir Path dir) throws Exception {
        Settings.WorklistSettings d = Settings.defaults().worklists();
        assertThat(d.boxCutoffDay()).isEqualTo(15);
        assertThat(d.valueWindowDays()).isEqualTo(365);
        assertThat(d.topCustomers()).isEqualTo(50);
        File conf = dir.resolve("lists.conf").toFile();
        Files.writeString(conf.toPath(), "supportroi.worklists { box-cutoff-day = 1, top-customers = 10 }");
        Settings s = Settings.load(conf, Settings.Overrides.NONE, Map.of());
        assertThat(s.worklists().boxCutoffDay()).isEqualTo(1);
        assertThat(s.worklists().topCustomers()).isEqualTo(10);
        assertThat(s.worklists().valueWindowDays()).isEqualTo(365);
        File bad = dir.resolve("cutoff.conf").toFile();
        Files.writeString(bad.toPath(), "supportroi.worklists.box-cutoff-day = 31");
        assertThatThrownBy(() -> Settings.load(bad, Settings.Overrides.NONE, Map.of()))
                .hasMessageContaining("box-cutoff-day");
    }

    @Test
    void theShippedConfFilesLoad() {
        File root = new File(System.getProperty("user.dir")).getParentFile();
        for (String name : List.of("local.conf", "cluster.conf", "small.conf")) {
            Settings s = Settings.load(new File(root, "conf/" + name), Settings.Overrides.NONE, Map.of());
            assertThat(s.spark().shufflePartitions()).isPositive();
        }
    }

    @Test
    void theHashKeyComesFromTheEnvironmentOnlyAndIsNeverPrinted(@TempDir Path dir) throws Exception {
        String key = "s3cret-key-for-the-test-0123456789";
        Settings s = Settings.load(null, Settings.Overrides.NONE, Map.of(Settings.ENV_HASH_KEY, key));
        assertThat(s.privacy().key()).hasValueSatisfying(k -> assertThat(k).isEqualTo(key.getBytes(UTF_8)));
        assertThat(s.toString()).doesNotContain(key).contains("hashKey=set");
        // Another key is another fingerprint (gold's exports are then written again), still without the key.
        Settings other = Settings.load(null, Settings.Overrides.NONE, Map.of(Settings.ENV_HASH_KEY, key + "x"));
        assertThat(other.privacy().toString()).isNotEqualTo(s.privacy().toString());
        assertThat(Settings.defaults().privacy().key()).isEmpty();

        assertThatThrownBy(() -> Settings.load(null, Settings.Overrides.NONE,
                Map.of(Settings.ENV_HASH_KEY, "short")))
                .hasMessageContaining(Settings.ENV_HASH_KEY).hasMessageContaining("16");
        // A key in a configuration file is refused like any unknown key: secrets do not go in files.
        Path conf = dir.resolve("secret.conf");
        Files.writeString(conf, "supportroi.privacy.hash-key = \"" + key + "\"\n");
        assertThatThrownBy(() -> Settings.load(conf.toFile(), Settings.Overrides.NONE, Map.of()))
                .hasMessageContaining("unknown configuration key supportroi.privacy.hash-key");
    }
}
