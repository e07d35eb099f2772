package tokencost.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tokencost.SparkTestBase;
import tokencost.TestCatalogs;
import tokencost.catalog.CatalogSource;
import tokencost.conf.TokencostConf;
import tokencost.lifecycle.LifecycleJob;
import tokencost.report.Notebook;
import tokencost.report.Report;
import tokencost.spark.PausePoint;
import tokencost.sweep.SweepJob;
import tokencost.sweep.SweepPlan;
import tokencost.sweep.SweepRows;
import tokencost.tables.DeltaTables;
import tokencost.tables.RunLog;
import tokencost.tables.Warehouse;
import tokencost.tables.WarehouseLock;

/**
 * Faults at every stage, each at a named {@link PausePoint} rather than after a timer. Killed (SIGKILL): the sweep while
 * it creates its tables, with its grid files on disk but not committed, half-way through the summaries and the
 * dimensions, and with every table committed but its success not recorded; the lifecycle job between its tables; the
 * report half-written and between its two renames. Then a disk that fills up under the summaries, and a warehouse
 * deleted under the grid's commit. After each, every table reads at its version before the run or holds the run's
 * complete rows, sweep_runs never says the run succeeded, the report is the previous one, whole, and the next run
 * recovers and writes exactly the run's rows beside the previous run's, which are intact. Rows lost: 0.
 */
@Tag("slow") // child JVMs: run by failsafe (jobs/pom.xml)
class FaultsAtEveryStageTest extends SparkTestBase {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    static final LocalDate PREVIOUS = LocalDate.of(2026, 11, 19);
    static final LocalDate KILLED = LocalDate.of(2026, 11, 26);

    /** A warehouse holding the previous week's sweep and lifecycle runs; each case works on its own copy. */
    @TempDir
    static Path shared;
    static Path conf;
    static Path template;

    @TempDir
    Path dir;

    @BeforeAll
    static void previousRuns() throws Exception {
        conf = ChildJvm.conf(shared, "tiny", "llama-3.1-8b", "h100-sxm, mi300x", "chat, code-assistant", "1, 2", "1, 64", "fp8, paged-kv", 2);
        template = shared.resolve("previous");
        Warehouse wh = Warehouse.at(template.toString(), shared);
        try (WarehouseLock lock = WarehouseLock.acquire(wh, "previous", 60)) {
            SweepJob.run(spark(), sweep(wh, PREVIOUS), QUIET);
            LifecycleJob.run(spark(), lifecycle(wh, PREVIOUS), QUIET);
        }
    }

    static SweepJob.Run sweep(Warehouse wh, LocalDate day) {
        TokencostConf c = TokencostConf.load(conf);
        return SweepJob.Run.of(SweepPlan.from(c, TestCatalogs.real()), day, wh, c, CatalogSource.directory(TestCatalogs.datasets()));
    }

    static LifecycleJob.Run lifecycle(Warehouse wh, LocalDate day) {
        return LifecycleJob.Run.of(TokencostConf.load(conf), TestCatalogs.real(), CatalogSource.directory(TestCatalogs.datasets()), day, wh);
    }

    /** A copy of the previous runs' warehouse (or, for a first run, none). */
    Warehouse warehouse(boolean previous) throws IOException {
        Path to = dir.resolve("warehouse");
        if (previous) copy(template, to);
        return Warehouse.at(to.toString(), dir);
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    static String[] job(String command, Warehouse wh) {
        return new String[] {command, "--conf", conf.toString(), "--warehouse", wh.root(), "--run-date", KILLED.toString()};
    }

    /**
     * table-creation: a first run killed with some tables created, the rest not; inference_pareto and dim_hardware:
     * every table's files written in the one pass, the tables committing side by side, that one's commit not done (the
     * others done or in flight); sweep_runs#2: every table committed, the success row not written. (Killed while the
     * files are written: {@link CrashAndConcurrencyTest}.)
     */
    @ParameterizedTest
    @ValueSource(strings = {PausePoint.TABLE_CREATION, SweepRows.PARETO, SweepRows.DIM_HARDWARE, RunLog.TABLE + "#2"})
    void aSweepKilledAtAnyStageLosesNothingAndTheNextRunRecovers(String point) throws Exception {
        boolean firstRun = point.equals(PausePoint.TABLE_CREATION);
        Warehouse wh = warehouse(!firstRun);
        WarehouseState before = WarehouseState.of(wh.localPath(), SweepJob.TABLES);
        SweepJob.Run killed = sweep(wh, KILLED);

        long t0 = System.nanoTime();
        String output = ChildJvm.pausedAt(point, dir, job("sweep", wh)).await().kill();
        System.out.printf("sweep killed at %s after %.1f s%n", point, (System.nanoTime() - t0) / 1e9);
        WarehouseState atKill = WarehouseState.of(wh.localPath(), SweepJob.TABLES);
        DeltaTables tables = new DeltaTables(spark(), wh, SweepJob.TABLES);
        RunLog.Entry logged = tables.exists(RunLog.TABLE) ? new RunLog(tables).get(killed.runId(), SweepJob.JOB) : null;
        assertTrue(logged == null || logged.status().equals("running"), "the audit log does not claim success: " + logged + "\n" + output);
        if (point.equals(SweepRows.PARETO)) {
            long grid = atKill.rows(SweepRows.GRID, killed.runId());
            assertTrue(grid == 0 || grid == killed.plan().cells(), "the grid committed beside it whole or not at all: " + grid + "\n" + output);
            assertEquals(0, atKill.rows(SweepRows.PARETO, killed.runId()), "the Pareto table's commit never happened:\n" + output);
        }

        SweepJob.Result rerun;
        try (WarehouseLock lock = WarehouseLock.acquire(wh, killed.runId(), 60)) { // as the CLI runs it
            rerun = SweepJob.run(spark(), killed, QUIET);
        }
        before.assertRecovered(atKill, WarehouseState.of(wh.localPath(), SweepJob.TABLES), rerun.rowsWritten(), killed.runId());
        assertEquals(killed.plan().cells(), rerun.rowsWritten().get(SweepRows.GRID));
        assertEquals(killed.plan().cells(), tables.read(SweepRows.GRID).where("run_id = '" + killed.runId() + "'")
                .select("model", "hardware", "workload", "optimization_stack", "devices", "batch").distinct().count(), "no duplicates");
        assertEquals("succeeded", new RunLog(tables).get(killed.runId(), SweepJob.JOB).status());
    }

    @Test
    void aLifecycleRunKilledBetweenItsTablesLosesNothingAndTheNextRunRecovers() throws Exception {
        Warehouse wh = warehouse(true);
        WarehouseState before = WarehouseState.of(wh.localPath(), LifecycleJob.TABLES);
        LifecycleJob.Run killed = lifecycle(wh, KILLED);

        // lifecycle_curves committed, crossover and fleet_forecast not
        String output = ChildJvm.pausedAt(LifecycleJob.CROSSOVER, dir, job("lifecycle", wh)).await().kill();
        WarehouseState atKill = WarehouseState.of(wh.localPath(), LifecycleJob.TABLES);
        assertTrue(atKill.rows(LifecycleJob.CURVES, killed.runId()) > 0, "killed after the curves' commit:\n" + output);
        DeltaTables tables = new DeltaTables(spark(), wh, LifecycleJob.TABLES);
        assertEquals("running", new RunLog(tables).get(killed.runId(), LifecycleJob.JOB).status(), "the audit log does not claim success");

        Map<String, Long> rows;
        try (WarehouseLock lock = WarehouseLock.acquire(wh, killed.runId(), 60)) {
            rows = LifecycleJob.run(spark(), killed, QUIET);
        }
        before.assertRecovered(atKill, WarehouseState.of(wh.localPath(), LifecycleJob.TABLES), rows, killed.runId());
        assertEquals("succeeded", new RunLog(tables).get(killed.runId(), LifecycleJob.JOB).status());
    }

    /** report: one page of the new report written (in its staging folder), the rest not; report-swap: the new report complete, the previous moved aside. */
    @ParameterizedTest
    @ValueSource(strings = {PausePoint.REPORT, PausePoint.REPORT_SWAP})
    void aReportKilledWhileWrittenLeavesThePreviousReportWhole(String point) throws Exception {
        Warehouse wh = warehouse(true);
        Path notebooks = dir.resolve("notebooks");
        Files.createDirectories(notebooks);
        for (String table : new String[] {RunLog.TABLE, SweepRows.DIM_HARDWARE}) {
            Files.writeString(notebooks.resolve(table + ".sql"), Notebook.HEADER + "\n-- MAGIC %md\n-- MAGIC # " + table
                    + "\n-- MAGIC What is in " + table + "?\n\n" + Notebook.SEPARATOR + "\n\n-- chart: bar x=run_id y=n\n"
                    + "SELECT run_id, count(*) AS n FROM " + table + " GROUP BY run_id ORDER BY run_id\n");
        }
        Path report = dir.resolve("report");
        Report.write(spark(), wh, notebooks, "", report, QUIET);
        Map<String, String> previous = files(report);
        assertTrue(previous.keySet().containsAll(java.util.List.of("index.html", "sweep_runs.html", "dim_hardware.html", "style.css")), previous.keySet().toString());

        String output = ChildJvm.pausedAt(point, dir, "notebooks", "--conf", conf.toString(), "--warehouse", wh.root(), "--out", report.toString(),
                "--notebooks", notebooks.toString()).await().kill();
        if (point.equals(PausePoint.REPORT)) {
            assertEquals(previous, files(report), "the previous report, whole and unchanged:\n" + output);
        } else {
            assertFalse(Files.exists(report), "killed between the renames");
            Path aside = siblings(report).filter(p -> p.getFileName().toString().startsWith(".report.old-")).findFirst().orElseThrow();
            assertEquals(previous, files(aside), "the previous report, whole, aside");
        }

        Path index = Report.write(spark(), wh, notebooks, "", report, QUIET);
        assertEquals(report.resolve("index.html"), index);
        assertEquals(previous.keySet(), files(report).keySet(), "the next report is complete");
        assertEquals(0, siblings(report).count(), "what the killed writer left beside the report is gone");
    }

    @Test
    void aFullDiskFailsTheRunInOneClearLineAndTheNextRunOnABiggerDiskRecovers() throws Exception {
        SmallDisk disk;
        try {
            disk = SmallDisk.mount(dir.resolve("small-disk"), "16m");
        } catch (java.io.IOException notPermitted) {
            Assumptions.abort("the full-disk case needs a tmpfs, and mounting one is not permitted here (CI may not allow it): "
                    + notPermitted.getMessage());
            return;
        }
        try (disk) {
            Warehouse wh = Warehouse.at(disk.root.resolve("warehouse").toString(), dir);
            copy(template, wh.localPath());
            WarehouseState before = WarehouseState.of(wh.localPath(), SweepJob.TABLES);
            SweepJob.Run run = sweep(wh, KILLED);

            // the disk fills while the tables commit side by side (the Pareto table's held back): commits, then the restore, fail
            var child = ChildJvm.pausedAt(SweepRows.PARETO, dir, job("sweep", wh)).await();
            disk.fill();
            int exit = child.resume();
            String output = child.output();
            assertEquals(3, exit, output);
            List<String> errors = output.lines().filter(l -> l.startsWith("error: ")).toList();
            assertEquals(1, errors.size(), "one error line:\n" + output);
            assertTrue(errors.get(0).startsWith("error: sweep " + run.runId() + " failed: the disk of the warehouse " + wh.root() + " is full"),
                    errors.get(0));
            assertNoStackTrace(output);
            WarehouseState atFault = WarehouseState.of(wh.localPath(), SweepJob.TABLES);

            disk.grow("64m");
            DeltaTables tables = new DeltaTables(spark(), wh, SweepJob.TABLES);
            assertNotEquals("succeeded", new RunLog(tables).get(run.runId(), SweepJob.JOB).status(), "sweep_runs does not claim success");
            SweepJob.Result rerun;
            try (WarehouseLock lock = WarehouseLock.acquire(wh, run.runId(), 60)) {
                rerun = SweepJob.run(spark(), run, QUIET);
            }
            before.assertRecovered(atFault, WarehouseState.of(wh.localPath(), SweepJob.TABLES), rerun.rowsWritten(), run.runId());
            assertEquals("succeeded", new RunLog(tables).get(run.runId(), SweepJob.JOB).status());
        }
    }

    @Test
    void aWarehouseDeletedMidRunFailsTheRunClearlyAndTheNextRunCreatesItAgain() throws Exception {
        Warehouse wh = warehouse(true);
        SweepJob.Run run = sweep(wh, KILLED);
        // every table's files written, none committed (the tables then commit side by side)
        var child = ChildJvm.pausedAt(PausePoint.FILES_WRITTEN, dir, job("sweep", wh)).await();
        assertTrue(ChildJvm.parquetFiles(wh.localPath().resolve(SweepRows.GRID).resolve("run_id=" + run.runId())) > 0, child.output());
        deleteTree(wh.localPath());
        int exit = child.resume();
        String output = child.output();
        assertEquals(3, exit, output);
        List<String> errors = output.lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(List.of("error: sweep " + run.runId() + " failed: the warehouse " + wh.root() + " was deleted or moved while the run "
                + "wrote it; nothing of this run is published, and the next run creates the missing tables again"), errors, output);
        assertNoStackTrace(output);
        for (String t : SweepJob.TABLES) {
            assertEquals(-1, WarehouseState.of(wh.localPath(), List.of(t)).version(t), t + " is not created again by the failing run:\n" + output);
        }

        SweepJob.Result rerun;
        try (WarehouseLock lock = WarehouseLock.acquire(wh, run.runId(), 60)) {
            rerun = SweepJob.run(spark(), run, QUIET);
        }
        WarehouseState after = WarehouseState.of(wh.localPath(), SweepJob.TABLES);
        for (String t : SweepJob.TABLES) {
            if (!t.equals(RunLog.TABLE)) assertEquals(rerun.rowsWritten().get(t), after.rows(t, run.runId()), t);
        }
        assertEquals(run.plan().cells(), after.rows(SweepRows.GRID, run.runId()));
        DeltaTables tables = new DeltaTables(spark(), wh, SweepJob.TABLES);
        assertEquals("succeeded", new RunLog(tables).get(run.runId(), SweepJob.JOB).status());
        for (String t : SweepJob.TABLES) { // created from the contract (partitioned by run), not by a stray write
            assertEquals("[\"run_id\"]", tokencost.tables.DeltaLogReader.read(wh.localPath().resolve(t)).metadata.path("partitionColumns").toString(), t);
        }
    }

    /** No line of a stack trace on the console: the file a failure names holds it (removed here, once looked at). */
    static void assertNoStackTrace(String output) throws IOException {
        for (String line : output.lines().toList()) {
            assertFalse(line.matches("\\s+at \\S+\\(.*\\)") || line.startsWith("Caused by:") || line.matches("\\s+\\.\\.\\. \\d+ more"),
                    "a stack trace line: " + line + "\n" + output);
            if (line.startsWith("  full trace: ")) Files.deleteIfExists(Path.of(line.substring("  full trace: ".length()).strip()));
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** The report's files (relative path -> content), charts included. */
    static Map<String, String> files(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) out.put(root.relativize(p).toString(), Files.readString(p));
        }
        return out;
    }

    /** The hidden folders beside the report (staging, aside). */
    static Stream<Path> siblings(Path report) throws IOException {
        return Arrays.stream(report.getParent().toFile().listFiles()).map(java.io.File::toPath)
                .filter(p -> p.getFileName().toString().startsWith("." + report.getFileName() + "."));
    }
}
