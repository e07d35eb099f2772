package tokencost.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;

/**
 * sweep_runs rows are upserted by (run_id, job) from the driver: each replaces only its own job's row of the run, as
 * Delta's replaceWhere does — checked against rows Delta's own writer put there, including a file holding two jobs' rows,
 * which the direct path cannot split and leaves to replaceWhere.
 */
class RunLogTest extends SparkTestBase {
    @TempDir
    Path dir;

    static RunLog.Entry entry(String runId, String job, String status) {
        return new RunLog.Entry(runId, LocalDate.of(2026, 12, 7), job, status, Instant.parse("2026-12-07T10:00:00Z"), null, "c.conf",
                "conf-hash", "catalog-hash", "test", 10, Map.of("t", 10L), Map.of("grid", 1.5), Map.of("t", 3L), null);
    }

    @Test
    void eachJobsRowIsReplacedAloneAndAFileHoldingTwoJobsGoesThroughReplaceWhere() {
        DeltaTables t = new DeltaTables(spark(), Warehouse.at(dir.resolve("wh").toString(), dir), List.of(RunLog.TABLE));
        t.ensureAll();
        RunLog log = new RunLog(t);
        String run = "2026-12-07-abcd0001";
        log.upsert(entry(run, "sweep", "running"));
        log.upsert(entry(run, "lifecycle", "running"));
        log.upsert(entry(run, "sweep", "succeeded"));
        log.upsert(entry("2026-12-07-other", "sweep", "running"));
        assertEquals("succeeded", log.get(run, "sweep").status());
        assertEquals("running", log.get(run, "lifecycle").status());
        assertEquals(4 - 1, t.read(RunLog.TABLE).count(), "one row per (run, job)");
        assertEquals(3, t.lastWriteOfRun(RunLog.TABLE, run), "each upsert carries the run's next token");
        DeltaLogReader files = DeltaLogReader.read(Path.of(t.path(RunLog.TABLE)));
        assertEquals(3, files.liveFiles.size(), "one file per row: the replaced sweep row's file removed");

        // Delta's own writer puts both jobs of a run in one file: its statistics span two jobs, the direct path cannot
        // replace one of them alone and hands the row to replaceWhere, which rewrites the file
        String mixed = "2026-12-07-abcd0002";
        var c = t.contract(RunLog.TABLE);
        Row sweep = RunLog.toRow(entry(mixed, "sweep", "running"));
        Row lifecycle = RunLog.toRow(entry(mixed, "lifecycle", "running"));
        t.replaceRun(RunLog.TABLE, mixed, spark().createDataFrame(List.of(sweep, lifecycle), c.sparkSchema()).coalesce(1));
        Row done = RunLog.toRow(entry(mixed, "sweep", "succeeded"));
        assertFalse(DirectRunWrite.replaceKeyedRow(t, RunLog.TABLE, mixed, "job", "sweep", done));
        assertEquals("succeeded", log.get(mixed, "sweep").status());
        assertEquals("running", log.get(mixed, "lifecycle").status());
        assertEquals(2, t.read(RunLog.TABLE).where("run_id = '" + mixed + "'").count());
        // whichever way the next upsert goes (Delta's rewrite may keep both jobs in one file), each job keeps its own row
        DirectRunWrite.replaceKeyedRow(t, RunLog.TABLE, mixed, "job", "lifecycle", RunLog.toRow(entry(mixed, "lifecycle", "failed")));
        assertEquals("failed", log.get(mixed, "lifecycle").status());
        assertEquals("succeeded", log.get(mixed, "sweep").status());
        assertEquals(2, t.read(RunLog.TABLE).where("run_id = '" + mixed + "'").count());
        assertEquals("running", log.get("2026-12-07-other", "sweep").status(), "other runs untouched");
    }
}
