package tokencost.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;
import tokencost.TestCatalogs;
import tokencost.catalog.CatalogSource;
import tokencost.conf.TokencostConf;
import tokencost.sweep.SweepJob;
import tokencost.sweep.SweepPlan;
import tokencost.sweep.SweepRows;
import tokencost.tables.DeltaLogReader;
import tokencost.tables.DeltaTables;
import tokencost.tables.RunLog;
import tokencost.tables.Warehouse;

/**
 * Crashes and concurrent writers, with real processes: a sweep killed with SIGKILL while it writes its grid,
 * two sweep processes started at once on one local warehouse, and two runs committing to the same tables at
 * once without the writer lock (as on a cluster's object store). Nothing is lost, duplicated or mixed.
 */
@Tag("slow") // child JVMs: run by failsafe (jobs/pom.xml)
class CrashAndConcurrencyTest extends SparkTestBase {
    @TempDir
    Path dir;

    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    /** A small sweep conf; {@code batches} sets its size. */
    Path conf(String name, String models, String batches) throws IOException {
        return ChildJvm.conf(dir, name, models, batches);
    }

    /** `tokencost sweep` in its own JVM. */
    Process sweepProcess(Path conf, Path warehouse, String date, Path log) throws IOException {
        return ChildJvm.start(log, "sweep", "--conf", conf.toString(), "--warehouse", warehouse.toString(), "--run-date", date);
    }

    static SweepJob.Run run(Path conf, Warehouse wh, LocalDate day) {
        TokencostConf c = TokencostConf.load(conf);
        return SweepJob.Run.of(SweepPlan.from(c, TestCatalogs.real()), day, wh, c, CatalogSource.directory(TestCatalogs.datasets()));
    }

    @Test
    void aSweepKilledWhileWritingLeavesEveryTableAtItsVersionAndReRunsCleanly() throws Exception {
        Warehouse wh = Warehouse.at(dir.resolve("warehouse").toString(), dir);
        DeltaTables tables = new DeltaTables(spark(), wh, SweepJob.TABLES);
        SweepJob.run(spark(), run(conf("previous", "llama-3.1-8b", "1, 64"), wh, LocalDate.of(2026, 11, 19)), QUIET);
        Map<String, Long> before = tables.versions();
        long previousRows = tables.read(SweepRows.GRID).count();

        Path big = conf("big", "llama-3.1-8b, llama-3.1-70b, mixtral-8x7b, qwen2.5-72b, gemma-2-27b, deepseek-v3",
                "1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048");
        SweepJob.Run bigRun = run(big, wh, LocalDate.of(2026, 11, 26));
        Path log = dir.resolve("killed.log");
        Process p = sweepProcess(big, dir.resolve("warehouse"), "2026-11-26", log);
        Path partition = dir.resolve("warehouse").resolve(SweepRows.GRID).resolve("run_id=" + bigRun.runId());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (ChildJvm.parquetFiles(partition) == 0 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String output = Files.readString(log);
        assertTrue(ChildJvm.parquetFiles(partition) > 0, "killed while writing grid files:\n" + output);
        assertTrue(!output.contains("grid: " + String.format("%,d", bigRun.plan().cells()) + " cells written"), "killed before the grid commit:\n" + output);

        for (String t : SweepJob.TABLES) {
            if (t.equals(RunLog.TABLE)) continue;
            assertEquals(before.get(t), tables.version(t), t + " reads at its previous version");
        }
        assertEquals(previousRows, tables.read(SweepRows.GRID).count(), "readers see none of the killed run's files");
        assertEquals("running", new RunLog(tables).get(bigRun.runId(), SweepJob.JOB).status(), "the audit log does not claim success");

        SweepJob.run(spark(), bigRun, QUIET); // the retry of the same run
        assertEquals(bigRun.plan().cells(), tables.read(SweepRows.GRID).where("run_id = '" + bigRun.runId() + "'").count());
        assertEquals(bigRun.plan().cells(), tables.read(SweepRows.GRID).where("run_id = '" + bigRun.runId() + "'")
                .select("model", "hardware", "workload", "optimization_stack", "devices", "batch").distinct().count(), "no duplicates");
        assertEquals(previousRows + bigRun.plan().cells(), tables.read(SweepRows.GRID).count(), "the previous run is intact");
        Path grid = dir.resolve("warehouse").resolve(SweepRows.GRID);
        assertEquals(previousRows + bigRun.plan().cells(), DeltaLogReader.read(grid).countRows(grid, tables.contract(SweepRows.GRID).columns()),
                "an independent reader of the log sees the same rows: orphaned files of the killed attempt are invisible");
        assertEquals("succeeded", new RunLog(tables).get(bigRun.runId(), SweepJob.JOB).status());
    }

    @Test
    void twoSweepProcessesAtOnceFinishOneAfterTheOther() throws Exception {
        Path c = conf("small", "llama-3.1-8b", "1, 64");
        Path whPath = dir.resolve("shared");
        Process a = sweepProcess(c, whPath, "2026-11-01", dir.resolve("a.log"));
        Process b = sweepProcess(c, whPath, "2026-11-08", dir.resolve("b.log"));
        assertTrue(a.waitFor(300, TimeUnit.SECONDS) && b.waitFor(300, TimeUnit.SECONDS), "both finish");
        String logs = Files.readString(dir.resolve("a.log")) + Files.readString(dir.resolve("b.log"));
        assertEquals(0, a.exitValue(), logs);
        assertEquals(0, b.exitValue(), logs);
        assertTrue(logs.contains("waiting for the writer lock"), "the second waited for the first:\n" + logs);
        Warehouse wh = Warehouse.at(whPath.toString(), dir);
        DeltaTables tables = new DeltaTables(spark(), wh, SweepJob.TABLES);
        long cells = run(c, wh, LocalDate.of(2026, 11, 1)).plan().cells();
        for (String day : List.of("2026-11-01", "2026-11-08")) {
            String id = run(c, wh, LocalDate.parse(day)).runId();
            assertEquals(cells, tables.read(SweepRows.GRID).where("run_id = '" + id + "'").count(), day);
            assertEquals("succeeded", new RunLog(tables).get(id, SweepJob.JOB).status(), day);
        }
        Process history = ChildJvm.start(dir.resolve("history.log"), "history", "--conf", c.toString(), "--warehouse", whPath.toString());
        assertTrue(history.waitFor(120, TimeUnit.SECONDS));
        String listed = Files.readString(dir.resolve("history.log"));
        assertEquals(0, history.exitValue(), listed);
        for (String day : List.of("2026-11-01", "2026-11-08")) {
            String id = run(c, wh, LocalDate.parse(day)).runId();
            assertTrue(listed.lines().anyMatch(l -> l.startsWith(id) && l.contains(" sweep ") && l.contains(" succeeded ")), listed);
        }
    }

    @Test
    void twoRunsCommittingToTheSameTablesAtOnceDoNotConflict() throws Exception {
        // No writer lock (an object store shared by a cluster): the runs write disjoint run_id partitions, and a
        // table-level conflict (both creating the tables) is retried.
        Warehouse wh = Warehouse.at(dir.resolve("cluster-style").toString(), dir);
        Path c = conf("concurrent", "llama-3.1-8b", "1, 64");
        SweepJob.Run first = run(c, wh, LocalDate.of(2026, 12, 1)), second = run(c, wh, LocalDate.of(2026, 12, 8));
        CompletableFuture<SweepJob.Result> f1 = CompletableFuture.supplyAsync(() -> SweepJob.run(spark(), first, QUIET));
        CompletableFuture<SweepJob.Result> f2 = CompletableFuture.supplyAsync(() -> SweepJob.run(spark(), second, QUIET));
        f1.get(600, TimeUnit.SECONDS);
        f2.get(600, TimeUnit.SECONDS);
        DeltaTables tables = new DeltaTables(spark(), wh, SweepJob.TABLES);
        for (SweepJob.Run r : List.of(first, second)) {
            for (String t : List.of(SweepRows.GRID, SweepRows.FRONTIER, SweepRows.DIM_MODEL)) {
                long rows = tables.read(t).where("run_id = '" + r.runId() + "'").count();
                assertTrue(rows > 0, t + " " + r.runId());
            }
            assertEquals(r.plan().cells(), tables.read(SweepRows.GRID).where("run_id = '" + r.runId() + "'").count());
            assertEquals("succeeded", new RunLog(tables).get(r.runId(), SweepJob.JOB).status());
        }
        assertEquals(2 * first.plan().cells(), tables.read(SweepRows.GRID).count(), "nothing mixed, nothing lost");
    }
}
