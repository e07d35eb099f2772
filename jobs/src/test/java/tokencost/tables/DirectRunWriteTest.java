package tokencost.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;
import tokencost.TestCatalogs;
import tokencost.conf.TokencostConf;
import tokencost.sweep.SliceEvaluator;
import tokencost.sweep.SweepPlan;
import tokencost.sweep.SweepRows;

/**
 * The direct write of a run's grid rows: what it commits must be what Delta's own DataFrame write of the same rows
 * commits — the same rows, the same skipping statistics, the same constraint errors, the same idempotency — only
 * cheaper. Each check compares against a real Delta write, not against figures typed here.
 */
class DirectRunWriteTest extends SparkTestBase {
    static final String SWEEP = "tokencost.sweep {\n"
            + "  models = [llama-3.1-8b, mixtral-8x7b]\n"
            + "  hardware = [h100-sxm, apple-m4-max]\n"
            + "  workloads = [chat, batch-analytics]\n"
            + "  devices = [1, 8]\n"
            + "  batches = [1, 64]\n"
            + "  stack-levers = [fp8, continuous-batching]\n"
            + "}\n";
    static final LocalDate DAY = LocalDate.of(2026, 12, 3);

    @TempDir
    static Path dir;
    static SweepPlan plan;

    @BeforeAll
    static void plan() throws Exception {
        Path f = dir.resolve("small.conf");
        Files.writeString(f, SWEEP);
        plan = SweepPlan.from(TokencostConf.load(f), TestCatalogs.real());
    }

    /** The plan's cells, partition p of n taking slices by the same even split as the sweep. */
    static Iterator<SweepRows.Cell> cells(SweepPlan plan, int n, long p) {
        List<SweepRows.Cell> out = new ArrayList<>();
        for (long s = p * plan.slices() / n; s < (p + 1) * plan.slices() / n; s++) {
            var w = plan.catalog().workload(plan.slice(s)[2]);
            SliceEvaluator.cells(plan, s, e -> out.add(new SweepRows.Cell(e, w.inputTokens(), w.outputTokens())));
        }
        return out.iterator();
    }

    /** The grid output of {@code plan} over n partitions: one step per partition. */
    static DirectRunWrite.Output<SweepRows.Cell> grid(TypedRowMapper<SweepRows.Cell> mapper, long expectedRows) {
        return new DirectRunWrite.Output<>(SweepRows.GRID, mapper, expectedRows);
    }

    static DirectRunWrite.Producer producer(DirectRunWrite.Output<SweepRows.Cell> grid, int n) {
        SweepPlan p0 = plan;
        return p -> List.<java.util.function.Consumer<DirectRunWrite.Sinks>>of(sinks -> {
            var sink = sinks.sink(grid);
            cells(p0, n, p).forEachRemaining(sink::add);
        }).iterator();
    }

    /** The plan's grid written the direct way (or the DataFrame way where the table needs it). */
    static DirectRunWrite.Result replaceRun(DeltaTables t, String run, int n, TypedRowMapper<SweepRows.Cell> mapper, long expectedRows) {
        var out = grid(mapper, expectedRows);
        return DirectRunWrite.replaceRuns(t, run, n, List.of(out), producer(out, n)).get(SweepRows.GRID);
    }

    static DeltaTables tables(String name) {
        DeltaTables t = new DeltaTables(spark(), Warehouse.at(dir.resolve(name).toString(), dir), List.of(SweepRows.GRID));
        t.ensureAll();
        return t;
    }

    @Test
    void commitsTheSameRowsAndStatisticsAsDeltasOwnWrite() throws Exception {
        DeltaTables direct = tables("direct");
        DeltaTables viaSpark = tables("spark");
        String run = "2026-12-03-aaaa0001";
        var result = replaceRun(direct, run, 3, SweepRows.grid(DAY), plan.cells());
        assertTrue(result.direct(), "the grid table is one the direct path writes: " + result.notDirect());
        assertEquals(plan.cells(), result.rows());
        var all = grid(SweepRows.grid(DAY), -1);
        viaSpark.replaceRun(SweepRows.GRID, run, DirectRunWrite.dataFrame(spark(), run, 3, all, producer(all, 3)));

        List<Row> a = direct.read(SweepRows.GRID).collectAsList();
        List<Row> b = viaSpark.read(SweepRows.GRID).collectAsList();
        assertEquals(plan.cells(), a.size());
        assertRowSetsEqual(b, a, 0.0);

        // the statistics Delta keeps per file: the direct files' must equal what Delta computes for the same rows
        DeltaLogReader directLog = DeltaLogReader.read(Path.of(direct.path(SweepRows.GRID)));
        DeltaLogReader sparkLog = DeltaLogReader.read(Path.of(viaSpark.path(SweepRows.GRID)));
        assertEquals(3, directLog.liveFiles.size());
        assertEquals(sparkLog.liveFiles.size(), directLog.liveFiles.size());
        assertEquals(statsByFirstKey(sparkLog), statsByFirstKey(directLog));
        assertEquals(plan.cells(), directLog.countRows(Path.of(direct.path(SweepRows.GRID)), direct.contract(SweepRows.GRID).columns()),
                "a plain Parquet reader sees every row with the contract's columns");

        // data skipping works on the direct files' statistics: a filter on model reads only the files holding it
        long filesForOneModel = spark().read().format("delta").load(direct.path(SweepRows.GRID))
                .where("model = 'mixtral-8x7b'").inputFiles().length;
        assertTrue(filesForOneModel < 3, "files skipped by their model bounds: " + filesForOneModel + " of 3 read");
    }

    /** Each live file's stats JSON, keyed by its min model + hardware (file names differ between the two writes). */
    private static Map<String, JsonNode> statsByFirstKey(DeltaLogReader log) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode add : log.addActions) {
            if (!log.liveFiles.contains(add.get("path").asText())) continue;
            JsonNode stats = json.readTree(add.get("stats").asText());
            out.put(stats.at("/minValues/model").asText() + "/" + stats.at("/minValues/hardware").asText() + "/"
                    + stats.at("/numRecords").asLong(), stats);
        }
        return out;
    }

    @Test
    void replacesOnlyItsRunAndAReplayedWriteIsAppliedOnce() {
        DeltaTables t = tables("replace");
        var mapper = SweepRows.grid(DAY);
        replaceRun(t, "run-a", 2, mapper, plan.cells());
        replaceRun(t, "run-b", 2, mapper, plan.cells());
        long afterB = t.version(SweepRows.GRID);
        replaceRun(t, "run-a", 4, mapper, plan.cells());
        assertEquals(2 * plan.cells(), t.read(SweepRows.GRID).count(), "run-a replaced, not appended; run-b untouched");
        assertEquals(plan.cells(), t.read(SweepRows.GRID).where("run_id = 'run-b'").count());
        assertEquals(afterB + 1, t.version(SweepRows.GRID));
        assertEquals(2, t.lastWriteOfRun(SweepRows.GRID, "run-a"), "each write of a run carries the run's next token");
        // read from the version's checksum file: the same as Delta's own state reconstruction says
        var snapshot = org.apache.spark.sql.delta.DeltaLog.forTable(spark(), t.path(SweepRows.GRID))
                .update(false, scala.Option.empty(), scala.Option.empty());
        assertTrue(snapshot.checksumOpt().isDefined(), "Delta wrote the version's checksum");
        for (String run : List.of("run-a", "run-b")) {
            assertEquals(snapshot.transactions().get(DeltaTables.txnAppId(run)).get(), DeltaTables.txnVersion(snapshot, DeltaTables.txnAppId(run)));
        }
        assertEquals(-1, DeltaTables.txnVersion(snapshot, DeltaTables.txnAppId("run-z")));
        DeltaLogReader log = DeltaLogReader.read(Path.of(t.path(SweepRows.GRID)));
        assertEquals(2 + 4, log.liveFiles.size(), "run-a's first files were removed by its second write");
    }

    @Test
    void aRowBreakingAConstraintFailsTheWriteWithDeltasMessageAndNothingIsCommitted() {
        DeltaTables t = tables("constraint");
        spark().sql("ALTER TABLE delta.`" + t.path(SweepRows.GRID) + "` ADD CONSTRAINT small_batches CHECK (batch < 64)");
        long before = t.version(SweepRows.GRID);
        Exception e = assertThrows(Exception.class,
                () -> replaceRun(t, "run-c", 2, SweepRows.grid(DAY), plan.cells()));
        String m = String.valueOf(rootMessage(e));
        assertTrue(m.contains("small_batches") && m.contains("batch"), "Delta's own CHECK violation names the constraint: " + m);
        assertEquals(before, t.version(SweepRows.GRID), "nothing committed");
        assertEquals(0, t.read(SweepRows.GRID).count());
    }

    @Test
    void aWrongRowCountFailsBeforeTheCommit() {
        DeltaTables t = tables("count");
        long before = t.version(SweepRows.GRID);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> replaceRun(t, "run-d", 2, SweepRows.grid(DAY), plan.cells() + 1));
        assertTrue(e.getMessage().contains("the plan has " + (plan.cells() + 1)), e.getMessage());
        assertEquals(before, t.version(SweepRows.GRID));
    }

    @Test
    void aTableWithFeaturesTheDirectPathDoesNotWriteGoesThroughTheDataFrameWriter() {
        DeltaTables t = tables("features");
        spark().sql("ALTER TABLE delta.`" + t.path(SweepRows.GRID) + "` SET TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'model')");
        var result = replaceRun(t, "run-e", 2, SweepRows.grid(DAY), plan.cells());
        assertFalse(result.direct());
        assertEquals(plan.cells(), t.read(SweepRows.GRID).count());
    }

    @Test
    void aNonFiniteNumberFailsTheRowNamingItsKey() {
        var mapper = SweepRows.grid(DAY);
        var filler = mapper.filler();
        Iterator<SweepRows.Cell> it = cells(plan, 1, 0);
        SweepRows.Cell c = it.next();
        while (!c.e().fits()) c = it.next();
        filler.fill(c);
        SweepRows.Cell broken = new SweepRows.Cell(c.e(), 0, 0); // a zero-token mix: the blended cost is 0/0
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> filler.fill(broken));
        assertTrue(e.getMessage().contains("cost_usd_per_mtok_blended = NaN") && e.getMessage().contains("model=" + c.e().model())
                && e.getMessage().contains("batch=" + c.e().batch()), e.getMessage());
    }

    private static String rootMessage(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) all.append(t.getMessage()).append(" | ");
        return all.toString();
    }
}
