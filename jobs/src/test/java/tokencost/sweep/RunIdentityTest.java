package tokencost.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.TestCatalogs;
import tokencost.calibration.ValidationJob;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.catalog.CsvEditAccess;
import tokencost.conf.ConfEntry;
import tokencost.conf.TokencostConf;
import tokencost.lifecycle.LifecycleJob;
import tokencost.tables.Warehouse;

/** run_id hashes only what changes the output: operational settings keep it, output settings and catalogs change it. */
class RunIdentityTest {
    @TempDir
    Path dir;

    private static final LocalDate DAY = LocalDate.of(2026, 12, 2);

    private String sweepId(TokencostConf conf, CatalogSource source) {
        Catalog cat = Catalog.load(source);
        return SweepJob.Run.of(SweepPlan.from(conf, cat), DAY, Warehouse.at(dir.resolve("wh").toString(), dir), conf, source).runId();
    }

    @Test
    void operationalSettingsKeepTheRunIdAndOutputSettingsChangeIt() {
        TokencostConf base = TokencostConf.load(TestCatalogs.home().resolve("conf/default.conf"));
        CatalogSource source = CatalogSource.directory(TestCatalogs.datasets());
        String id = sweepId(base, source);
        for (var e : List.of(java.util.Map.entry(TokencostConf.PROGRESS_INTERVAL_S, (Object) 1.0),
                java.util.Map.entry(TokencostConf.WAREHOUSE_LOCK_WAIT_S, (Object) 5.0),
                java.util.Map.entry(TokencostConf.SPARK_MASTER, (Object) "local[2]"),
                java.util.Map.entry(TokencostConf.SWEEP_PARTITIONS, (Object) 7),
                java.util.Map.entry(TokencostConf.WAREHOUSE_PATH, (Object) "elsewhere"))) {
            assertEquals(id, sweepId(base.with(e.getKey(), e.getValue()), source), e.getKey().key() + " does not change the output");
        }
        for (var e : List.of(java.util.Map.entry(TokencostConf.MAX_BATCH, (Object) 1024),
                java.util.Map.entry(TokencostConf.SWEEP_DEVICES, (Object) List.of(1, 2)),
                java.util.Map.entry(TokencostConf.PUE, (Object) 1.2),
                java.util.Map.entry(TokencostConf.LIFECYCLE_DRAWS, (Object) 10))) {
            assertNotEquals(id, sweepId(base.with(e.getKey(), e.getValue()), source), e.getKey().key() + " changes the output");
        }
        for (ConfEntry e : TokencostConf.ENTRIES) {
            // every entry is declared one way or the other, and only the declared operational ones are neutral
            assertEquals(!List.of("tokencost.catalog.dir", "tokencost.sweep.partitions", "tokencost.warehouse.path",
                    "tokencost.warehouse.database", "tokencost.warehouse.lock-wait-s", "tokencost.spark.master",
                    "tokencost.progress.interval-s").contains(e.key()), e.changesOutput(), e.key());
        }
    }

    @Test
    void everyCatalogFileIncludingScenariosAndReferencesChangesTheRunIdOfEveryJob() {
        TokencostConf conf = TokencostConf.load(TestCatalogs.home().resolve("conf/default.conf"));
        CatalogSource original = CatalogSource.directory(TestCatalogs.datasets());
        Warehouse wh = Warehouse.at(dir.resolve("wh").toString(), dir);
        String sweep = sweepId(conf, original);
        assertEquals(sweep, LifecycleJob.Run.of(conf, Catalog.load(original), original, DAY, wh).runId(), "one id per run");
        for (String[] edit : new String[][] {{"scenarios.csv", "llama-405b-chat-base", "pue", "1.2"},
                {"workloads.csv", "chat", "output_tokens", "212"}}) {
            Path d = TestCatalogs.copyDatasets(dir.resolve("datasets-" + edit[0]));
            CsvEditAccess.set(d.resolve(edit[0]), edit[1], edit[2], edit[3]);
            CatalogSource edited = CatalogSource.directory(d);
            assertNotEquals(sweep, sweepId(conf, edited), edit[0]);
            assertNotEquals(sweep, LifecycleJob.Run.of(conf, Catalog.load(edited), edited, DAY, wh).runId(), edit[0]);
        }
        Path d = TestCatalogs.copyDatasets(dir.resolve("datasets-ref"));
        Path ref = d.resolve(tokencost.catalog.ReferenceMeasurement.FILE);
        TestCatalogs.write(ref, TestCatalogs.read(ref).replaceFirst("\t21109.38\t", "\t21109.39\t"));
        assertNotEquals(sweep, sweepId(conf, CatalogSource.directory(d)), "reference measurements");
        assertEquals(sweep, ValidationJob.Run.of(java.util.List.of(), conf, Catalog.load(original), original, DAY, wh).runId());
    }
}
