package tokencost.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;
import tokencost.TestCatalogs;
import tokencost.catalog.Hashes;
import tokencost.conf.TokencostConf;
import tokencost.engine.Estimate;
import tokencost.engine.InferenceEngine;
import tokencost.engine.StackParser;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import tokencost.tables.DeltaLogReader;
import tokencost.tables.DeltaTables;
import tokencost.tables.TableContract;
import tokencost.tables.RunLog;
import tokencost.tables.Warehouse;

/** The sweep on a small real grid, into real Delta tables, with one shared SparkSession. */
class SweepJobTest extends SparkTestBase {
    static final String SWEEP = "tokencost.sweep {\n"
            + "  models = [llama-3.1-8b, llama-3.1-70b, mixtral-8x7b]\n"
            + "  hardware = [h100-sxm, tpu-v5e, apple-m4-max]\n"
            + "  workloads = [chat, batch-analytics]\n"
            + "  devices = [1, 2, 8]\n"
            + "  batches = [1, 16, 256]\n"
            + "  stack-levers = [fp8, continuous-batching, paged-kv]\n"
            + "}\n";
    static final LocalDate DAY1 = LocalDate.of(2026, 11, 1);
    static final LocalDate DAY2 = LocalDate.of(2026, 11, 8);

    @TempDir
    static Path dir;
    static SweepPlan plan;
    static TokencostConf conf;
    static Warehouse warehouse;
    static DeltaTables tables;
    static SweepJob.Result first;

    static SweepJob.Run run(LocalDate day) {
        return new SweepJob.Run(plan, day, warehouse, conf.origin(), Hashes.of(conf.outputCanonical()), "test-catalog", 0, 60);
    }

    static SweepJob.Result sweep(LocalDate day) {
        return SweepJob.run(spark(), run(day), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void firstRun() throws Exception {
        Path f = dir.resolve("small.conf");
        Files.writeString(f, SWEEP);
        conf = TokencostConf.load(f);
        plan = SweepPlan.from(conf, TestCatalogs.real());
        warehouse = Warehouse.at(dir.resolve("warehouse").toString(), dir, "tokencost_test");
        tables = new DeltaTables(spark(), warehouse, SweepJob.TABLES);
        first = sweep(DAY1);
    }

    private static long count(String table, String runId) {
        return tables.read(table).where("run_id = '" + runId + "'").count();
    }

    @Test
    void gridHasOneRowPerCell() {
        long expected = 3L * 3 * 2 * plan.stacks().size() * 3 * 3;
        assertEquals(8, plan.stacks().size());
        assertEquals(expected, first.cells());
        assertEquals(expected, count(SweepRows.GRID, first.runId()));
        long distinct = tables.read(SweepRows.GRID).where("run_id = '" + first.runId() + "'")
                .select("model", "hardware", "workload", "optimization_stack", "devices", "batch").distinct().count();
        assertEquals(expected, distinct, "the key is unique");
        assertTrue(count(SweepRows.GRID, first.runId()) > tables.read(SweepRows.GRID).where("fits").count(), "cells that do not fit are kept");
        assertEquals(0, tables.read(SweepRows.GRID).where("NOT fits AND reason IN ('ok', 'no SLO')").count(), "each non-fitting cell says why");
    }

    @Test
    void sampledCellsEqualTheEstimateCommand() {
        var cat = TestCatalogs.real();
        var mapper = SweepRows.grid(DAY1).filler();
        List<String> columns = java.util.Arrays.asList(SweepRows.grid(DAY1).dataSchema().fieldNames());
        List<Row> sample = tables.read(SweepRows.GRID).where("run_id = '" + first.runId() + "'")
                .orderBy(org.apache.spark.sql.functions.rand(7)).limit(60).collectAsList();
        assertEquals(60, sample.size());
        int fitting = 0;
        for (Row r : sample) {
            var w = cat.workload(r.getAs("workload"));
            var h = cat.hardware(r.<String>getAs("hardware"));
            int devices = r.<Integer>getAs("devices");
            var stack = StackParser.parse(r.<String>getAs("optimization_stack").replace('+', ','), cat);
            var m = cat.model(r.getAs("model"));
            Estimate e = InferenceEngine.validDevices(h, devices)
                    ? InferenceEngine.estimate(m, h, devices, w, stack, r.<Integer>getAs("batch"), plan.settings())
                    : InferenceEngine.invalidDevices(m, h, devices, w, stack, r.<Integer>getAs("batch"),
                            InferenceEngine.minDevices(m, h, w, stack, plan.settings()));
            Row expected = mapper.toRow(new SweepRows.Cell(e, w.inputTokens(), w.outputTokens()));
            assertEquals(first.runId(), r.getAs("run_id"));
            for (int i = 0; i < columns.size(); i++) {
                assertEquals(expected.get(i), r.getAs(columns.get(i)), columns.get(i) + " of " + r);
            }
            if (e.fits()) fitting++;
        }
        assertTrue(fitting > 5, "the sample includes fitting cells: " + fitting);
    }

    @Test
    void frontierEqualsTheCheapestSloMeetingCellInSql() {
        String run = first.runId();
        tables.read(SweepRows.GRID).where("run_id = '" + run + "'").createOrReplaceTempView("g");
        tables.read(SweepRows.FRONTIER).where("run_id = '" + run + "'").createOrReplaceTempView("f");
        List<Row> expected = rows("SELECT model, hardware, workload, optimization_stack, min(cost_usd_per_mtok_blended) FROM g"
                + " WHERE fits AND coalesce(slo_met, true) GROUP BY model, hardware, workload, optimization_stack");
        List<Row> actual = rows("SELECT model, hardware, workload, optimization_stack, best_cost_usd_per_mtok_blended FROM f WHERE meets_slo");
        assertRowSetsEqual(expected, actual, 1e-12);
        assertEquals(3L * 3 * 2 * plan.stacks().size(), count(SweepRows.FRONTIER, run));
        List<Row> throughput = rows("SELECT model, hardware, workload, optimization_stack, max(output_tok_s_per_device) FROM g"
                + " WHERE fits GROUP BY model, hardware, workload, optimization_stack");
        assertRowSetsEqual(throughput, rows("SELECT model, hardware, workload, optimization_stack, max_throughput_output_tok_s_per_device"
                + " FROM f WHERE cells_fitting > 0"), 1e-12);
    }

    @Test
    void paretoAndImpactTablesAreFilled() {
        String run = first.runId();
        assertTrue(count(SweepRows.PARETO, run) > 0);
        tables.read(SweepRows.PARETO).where("run_id = '" + run + "'").createOrReplaceTempView("p");
        assertEquals(0, rows("SELECT * FROM p a JOIN p b ON a.model = b.model AND a.hardware = b.hardware AND a.workload = b.workload"
                + " AND b.rank = a.rank + 1 WHERE NOT (b.tpot_ms < a.tpot_ms AND b.cost_usd_per_mtok_blended >= a.cost_usd_per_mtok_blended)").size());
        tables.read(SweepRows.IMPACT).where("run_id = '" + run + "'").createOrReplaceTempView("i");
        assertEquals(3L * 3 * 2 * (plan.impactVariants().size() + 1), count(SweepRows.IMPACT, run));
        assertEquals(0, rows("SELECT * FROM i WHERE variant = 'baseline' AND meets_slo AND cost_vs_baseline <> 1.0").size());
        // a variant whose stack the grid has is summarised from the grid's own cells: its cheapest SLO-meeting cell
        tables.read(SweepRows.GRID).where("run_id = '" + run + "'").createOrReplaceTempView("g");
        List<Row> actual = rows("SELECT DISTINCT model, hardware, workload, optimization_stack, cost_usd_per_mtok_blended FROM i"
                + " WHERE meets_slo AND optimization_stack IN (SELECT optimization_stack FROM g)");
        assertTrue(actual.size() > 10, "impact rows of stacks in the grid: " + actual.size());
        assertRowSetsEqual(rows("SELECT DISTINCT i.model, i.hardware, i.workload, i.optimization_stack, m.c FROM i JOIN"
                + " (SELECT model, hardware, workload, optimization_stack, min(cost_usd_per_mtok_blended) c FROM g"
                + "  WHERE fits AND coalesce(slo_met, true) GROUP BY model, hardware, workload, optimization_stack) m"
                + " USING (model, hardware, workload, optimization_stack) WHERE i.meets_slo"), actual, 1e-12);
    }

    @Test
    void dimensionsAndRunLog() {
        String run = first.runId();
        assertEquals(3, count(SweepRows.DIM_MODEL, run));
        assertEquals(3, count(SweepRows.DIM_HARDWARE, run));
        assertEquals(2, count(SweepRows.DIM_WORKLOAD, run));
        assertEquals(plan.stacks().size(), count(SweepRows.DIM_STACK, run));
        RunLog.Entry e = new RunLog(tables).get(run, SweepJob.JOB);
        assertEquals("succeeded", e.status());
        assertEquals(first.cells(), e.cells());
        assertEquals(first.cells(), e.rowsWritten().get(SweepRows.GRID));
        assertTrue(e.stageSeconds().get("grid") > 0);
        assertTrue(e.codeVersion().contains("Spark 4.2.0") && e.codeVersion().contains("Delta 4.4.0"), e.codeVersion());
        // date + hash of the conf's output settings and the catalogs, both recorded in the run log
        assertEquals(Hashes.of(conf.outputCanonical()), e.confHash());
        assertEquals(DAY1.toString() + "-" + Hashes.of(e.confHash() + "|" + e.catalogHash()).substring(0, 8), run);
    }

    @Test
    void tablesAreRegisteredByNameWhenADatabaseIsConfigured() {
        List<String> names = rows("SHOW TABLES IN tokencost_test").stream().map(r -> r.getString(1)).toList();
        assertTrue(names.containsAll(SweepJob.TABLES), names.toString());
        assertEquals(tables.read(SweepRows.GRID).count(), rows("SELECT count(*) FROM tokencost_test.inference_grid").get(0).getLong(0));
    }

    @Test
    void rerunReplacesAndNewDateAddsBeside() {
        long gridVersion = tables.version(SweepRows.GRID);
        long total = tables.read(SweepRows.GRID).count();
        long writes = tables.lastWriteOfRun(SweepRows.GRID, first.runId());
        assertTrue(writes >= 1, "the first run's commit carries its idempotency token");
        SweepJob.Result again = sweep(DAY1);
        assertEquals(writes + 1, tables.lastWriteOfRun(SweepRows.GRID, first.runId()), "a re-run writes under the next txn version");
        assertEquals(first.runId(), again.runId());
        assertEquals(total, tables.read(SweepRows.GRID).count(), "re-running the same run replaces its rows");
        assertEquals(first.cells(), count(SweepRows.GRID, first.runId()));
        assertTrue(tables.version(SweepRows.GRID) > gridVersion, "a new version, so time travel can compare");
        for (String t : List.of(SweepRows.FRONTIER, SweepRows.PARETO, SweepRows.IMPACT, SweepRows.DIM_MODEL)) {
            assertEquals(first.rowsWritten().get(t), count(t, first.runId()), t);
        }

        SweepJob.Result next = sweep(DAY2);
        assertNotEquals(first.runId(), next.runId());
        assertEquals(1, tables.lastWriteOfRun(SweepRows.GRID, next.runId()), "another date is another application id");
        assertEquals(2 * first.cells(), tables.read(SweepRows.GRID).where("run_id IN ('" + first.runId() + "', '" + next.runId() + "')").count());
        long v = tables.version(SweepRows.GRID);
        assertEquals(total, spark().read().format("delta").option("versionAsOf", gridVersion).load(tables.path(SweepRows.GRID)).count(),
                "time travel reads the table as of the first run");
        assertTrue(v > gridVersion);
    }

    @Test
    void tablesMatchTheirContractsAndStayReaderProtocolOne() {
        for (String name : SweepJob.TABLES) {
            TableContract c = tables.contract(name);
            StructType actual = tables.read(name).schema();
            assertEquals(c.columns(), List.of(actual.fieldNames()), name + " columns, in contract order");
            for (StructField f : c.sparkSchema().fields()) {
                StructField a = actual.apply(f.name());
                assertEquals(f.dataType(), a.dataType(), name + "." + f.name());
                assertEquals(f.nullable(), a.nullable(), name + "." + f.name() + " nullability");
                assertTrue(a.metadata().contains("comment") && !a.metadata().getString("comment").isBlank(), name + "." + f.name() + " comment");
                assertEquals(f.metadata().getString("comment"), a.metadata().getString("comment"));
            }
            Path path = Path.of(tables.path(name));
            DeltaLogReader log = DeltaLogReader.read(path);
            assertEquals(1, log.protocol.get("minReaderVersion").asInt(), name + " reader protocol");
            assertTrue(!log.protocol.has("readerFeatures") || log.protocol.get("readerFeatures").isEmpty(), name);
            assertTrue(log.metadata.get("description").asText().length() > 10, name + " table comment");
            assertTrue(!log.metadata.get("schemaString").asText().contains("timestamp_ntz"), name);
            String mapping = log.metadata.path("configuration").path("delta.columnMapping.mode").asText("none");
            assertEquals("none", mapping, name);
            assertTrue(log.addActions.stream().allMatch(a -> !a.has("deletionVector") || a.get("deletionVector").isNull()), name);
            assertEquals(tables.read(name).count(), log.countRows(path, c.columns()), name + " rows seen by parquet-avro");
            if (name.equals(SweepRows.GRID)) {
                assertTrue(log.liveFiles.stream().allMatch(f -> f.endsWith(".zstd.parquet")), "zstd files");
            }
        }
    }

    @Test
    void killedRunIsRestoredAndMarkedFailedByTheNextRun() {
        // What a run killed after committing its grid leaves behind: a 'running' audit row with the versions
        // before it, and its grid rows. The next run (under the writer lock) must undo both.
        Warehouse wh = Warehouse.at(dir.resolve("killed").toString(), dir);
        DeltaTables t = new DeltaTables(spark(), wh, SweepJob.TABLES);
        t.ensureAll();
        Map<String, Long> before = t.versions();
        before.remove(RunLog.TABLE);
        String dead = "2026-10-01-deadbeef";
        RunLog log = new RunLog(t);
        log.upsert(new RunLog.Entry(dead, LocalDate.of(2026, 10, 1), SweepJob.JOB, "running", java.time.Instant.now(), null,
                "killed.conf", "deadbeefdeadbeef", "c", "v", plan.cells(), Map.of(), Map.of(), before, null));
        t.replaceRun(SweepRows.GRID, dead, SweepJob.grid(spark(), plan, dead, LocalDate.of(2026, 10, 1), 2,
                spark().sparkContext().longAccumulator()));
        assertEquals(plan.cells(), t.read(SweepRows.GRID).where("run_id = '" + dead + "'").count());

        SweepJob.Run next = new SweepJob.Run(plan, DAY2, wh, conf.origin(), Hashes.of(conf.outputCanonical()), "test-catalog", 0, 60);
        try (var lock = tokencost.tables.WarehouseLock.acquire(wh, next.runId(), 1)) { // only a lock holder may clean up others' runs
            SweepJob.run(spark(), next, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        }
        assertEquals(0, t.read(SweepRows.GRID).where("run_id = '" + dead + "'").count(), "the dead run's rows are gone");
        assertEquals(plan.cells(), t.read(SweepRows.GRID).count());
        RunLog.Entry e = log.get(dead, SweepJob.JOB);
        assertEquals("failed", e.status());
        assertTrue(e.error().startsWith("interrupted"), e.error());
        assertEquals("succeeded", log.get(next.runId(), SweepJob.JOB).status());
        assertEquals(2, t.lastWriteOfRun(SweepRows.GRID, dead), "the dead run's grid write and its restore, both under its token");
    }

    /** A new warehouse whose dim_workload gets {@code alteration} ("ADD CONSTRAINT ...", "SET TBLPROPERTIES ..."). */
    private static DeltaTables warehouseWith(String name, String alteration) {
        DeltaTables t = new DeltaTables(spark(), Warehouse.at(dir.resolve(name).toString(), dir), SweepJob.TABLES);
        t.ensureAll();
        spark().sql("ALTER TABLE delta.`" + t.path(SweepRows.DIM_WORKLOAD) + "` " + alteration);
        return t;
    }

    /** Runs the sweep into {@code t}'s warehouse, which must fail; checks that no table holds a row of it. */
    private static RuntimeException failedSweep(DeltaTables t, SweepJob.Run run) {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> SweepJob.run(spark(), run,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        for (String table : SweepJob.TABLES) {
            if (table.equals(RunLog.TABLE)) continue;
            assertEquals(0, t.read(table).count(), table + " holds no rows of the failed run");
        }
        assertEquals("failed", new RunLog(t).get(run.runId(), SweepJob.JOB).status());
        return failure;
    }

    @Test
    void aRowBreakingAConstraintFailsTheRunBeforeAnyCommit() throws Exception {
        // The grid, its summaries and the dimensions are written in one pass, checked row by row as they are written:
        // a dimension row that violates a CHECK constraint fails the pass before any table is committed.
        DeltaTables t = warehouseWith("failing", "ADD CONSTRAINT short_prompts CHECK (input_tokens < 100)");
        Map<String, Long> before = t.versions();
        SweepJob.Run run = new SweepJob.Run(plan, DAY1, t.warehouse(), conf.origin(), Hashes.of(conf.outputCanonical()), "test-catalog", 0, 60);
        RuntimeException failure = failedSweep(t, run);
        assertTrue(String.valueOf(failure.getMessage()).contains("short_prompts"), "the constraint's own error: " + failure);
        for (String table : SweepJob.TABLES) {
            if (!table.equals(RunLog.TABLE)) assertEquals(before.get(table), t.version(table), table + ": nothing committed");
        }
        RunLog.Entry e = new RunLog(t).get(run.runId(), SweepJob.JOB);
        assertTrue(e.error() != null && e.error().contains("short_prompts"), e.error());
    }

    @Test
    void aTableFailingItsCommitPutsBackTheTablesCommittedBesideIt() throws Exception {
        // dim_workload made append-only: the direct path leaves it to the DataFrame writer, whose replace of the run's
        // rows Delta refuses, while the other tables commit beside it; the run then puts every table back.
        DeltaTables t = warehouseWith("append-only", "SET TBLPROPERTIES ('delta.appendOnly' = 'true')");
        Map<String, Long> before = t.versions();
        failedSweep(t, new SweepJob.Run(plan, DAY1, t.warehouse(), conf.origin(), Hashes.of(conf.outputCanonical()), "test-catalog", 0, 60));
        // the grid was committed, then put back: two more versions than before the run
        assertEquals(before.get(SweepRows.GRID) + 2, t.version(SweepRows.GRID), "committed, then put back");
    }
}
