package tokencost.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;
import tokencost.TestCatalogs;
import tokencost.catalog.CatalogSource;
import tokencost.catalog.ReferenceMeasurement;
import tokencost.conf.TokencostConf;
import tokencost.engine.Validation;
import tokencost.tables.DeltaTables;
import tokencost.tables.RunLog;
import tokencost.tables.TableContract;
import tokencost.tables.Warehouse;

/** calibrate's table: every reference row once per fold kind, as the engine computed it, and a re-run replaces. */
class ValidationJobTest extends SparkTestBase {
    @TempDir
    static Path dir;
    static Warehouse wh;
    static ValidationJob.Run run;
    static int references;

    @BeforeAll
    static void write() {
        wh = Warehouse.at(dir.resolve("warehouse").toString(), dir);
        CatalogSource source = CatalogSource.directory(TestCatalogs.datasets());
        TokencostConf conf = TokencostConf.load(TestCatalogs.home().resolve("conf/default.conf"));
        references = ReferenceMeasurement.load(source, TestCatalogs.real()).size();
        run = ValidationJob.Run.of(conf, TestCatalogs.real(), source, LocalDate.of(2026, 12, 2), wh);
        ValidationJob.run(spark(), run, quiet());
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void everyMeasurementOncePerFoldKindWithTheEnginesNumbers() {
        String t = wh.table(ValidationJob.TABLE);
        List<Row> kinds = rows("SELECT fold_kind, count(*), count(DISTINCT row_id) FROM delta.`%s` GROUP BY fold_kind ORDER BY fold_kind", t);
        assertEquals(3, kinds.size(), kinds.toString());
        for (Row k : kinds) {
            assertEquals(references, k.getLong(1), k.toString());
            assertEquals(references, k.getLong(2), k.toString());
        }
        Validation.Row first = run.foldsByKind().get(ValidationJob.BY_VENDOR).get(0);
        Row stored = rows("SELECT predicted, measured, error, fold FROM delta.`%s` WHERE fold_kind = 'leave-one-vendor-out' AND row_id = '%s'",
                t, first.measured().rowId()).get(0);
        assertEquals(first.predicted(), stored.getDouble(0), 0.0);
        assertEquals(first.measured().value(), stored.getDouble(1), 0.0);
        assertEquals(first.error(), stored.getDouble(2), 1e-12);
        assertEquals("vendor:" + first.measured().vendor(), stored.getString(3));
        assertEquals("succeeded", rows("SELECT status FROM delta.`%s` WHERE run_id = '%s' AND job = 'calibrate'",
                wh.table(RunLog.TABLE), run.runId()).get(0).getString(0));
    }

    @Test
    void aFailingRunPutsItsRowsBackAndSaysFailedWithTheOriginalError() {
        DeltaTables tables = new DeltaTables(spark(), wh, ValidationJob.TABLES);
        long version = tables.version(ValidationJob.TABLE);
        long before = rows("SELECT count(*) FROM delta.`%s`", wh.table(ValidationJob.TABLE)).get(0).getLong(0);
        var id = new tokencost.tables.AuditedRun.Identity(run.runId(), run.runDate(), ValidationJob.JOB, "test", "h", "c");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> tokencost.tables.AuditedRun.run(tables, id, 1, quiet(), (written, stages) -> {
                    tables.replaceRun(ValidationJob.TABLE, run.runId(), tables.read(ValidationJob.TABLE).limit(1));
                    throw new IllegalStateException("boom after a write");
                }));
        assertEquals("boom after a write", e.getMessage());
        assertEquals(before, rows("SELECT count(*) FROM delta.`%s`", wh.table(ValidationJob.TABLE)).get(0).getLong(0), "rows put back");
        assertTrue(tables.version(ValidationJob.TABLE) > version, "the write and its restore are new versions");
        Row log = rows("SELECT status, error FROM delta.`%s` WHERE run_id = '%s' AND job = 'calibrate'", wh.table(RunLog.TABLE), run.runId()).get(0);
        assertEquals("failed", log.getString(0));
        assertEquals("boom after a write", log.getString(1));
        ValidationJob.run(spark(), run, quiet()); // and the next run succeeds again
        assertEquals("succeeded", rows("SELECT status FROM delta.`%s` WHERE run_id = '%s' AND job = 'calibrate'",
                wh.table(RunLog.TABLE), run.runId()).get(0).getString(0));
    }

    @Test
    void reRunReplacesItsRowsAndTheTableMatchesItsContract() {
        ValidationJob.run(spark(), run, quiet());
        String t = wh.table(ValidationJob.TABLE);
        assertEquals(3L * references, rows("SELECT count(*) FROM delta.`%s` WHERE run_id = '%s'", t, run.runId()).get(0).getLong(0));
        DeltaTables tables = new DeltaTables(spark(), wh, List.of(ValidationJob.TABLE));
        TableContract c = tables.contract(ValidationJob.TABLE);
        var actual = tables.read(ValidationJob.TABLE).schema();
        assertEquals(c.columns(), List.of(actual.fieldNames()));
        for (StructField f : c.sparkSchema().fields()) {
            assertEquals(f.dataType(), actual.apply(f.name()).dataType(), f.name());
            assertEquals(f.metadata().getString("comment"), actual.apply(f.name()).metadata().getString("comment"), f.name());
        }
        assertTrue(rows("SELECT count(*) FROM delta.`%s` WHERE isnan(predicted) OR isnan(error)", t).get(0).getLong(0) == 0);
    }
}
