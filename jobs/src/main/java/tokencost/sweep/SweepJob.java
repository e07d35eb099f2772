package tokencost.sweep;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import tokencost.catalog.Hardware;
import tokencost.catalog.Hashes;
import tokencost.catalog.Model;
import tokencost.catalog.Workload;
import tokencost.engine.Estimate;
import tokencost.engine.OptimizationStack;
import tokencost.tables.AuditedRun;
import tokencost.tables.DeltaTables;
import tokencost.tables.DirectRunWrite;
import tokencost.tables.MappedRows;
import tokencost.tables.RunLog;
import tokencost.tables.TableContract;
import tokencost.tables.Warehouse;

/**
 * The inference sweep: every cell of the plan's grid through the engine, inside Spark partitions, into
 * Delta tables. Each partition generates its slices by index arithmetic (no shuffle, no cross join) and, in the
 * same pass, summarises each slice into the frontier, Pareto and impact tables; every table then commits.
 */
public final class SweepJob {
    public static final String JOB = "sweep";
    public static final List<String> TABLES = List.of(SweepRows.GRID, SweepRows.FRONTIER, SweepRows.PARETO, SweepRows.IMPACT,
            SweepRows.DIM_MODEL, SweepRows.DIM_HARDWARE, SweepRows.DIM_WORKLOAD, SweepRows.DIM_STACK, RunLog.TABLE);
    private static final long CELLS_PER_PARTITION = 1_000_000L;

    /** What a run did. */
    public record Result(String runId, long cells, Map<String, Long> rowsWritten, Map<String, Double> stageSeconds, long gridBytes) {}

    /** Everything a run needs besides Spark: the validated plan, where to write, and how to label the run. */
    public record Run(SweepPlan plan, LocalDate runDate, Warehouse warehouse, String confFile, String confHash,
                      String catalogHash, int partitions, double progressIntervalS) {
        public String runId() {
            return SweepJob.runId(runDate, confHash, catalogHash);
        }

        /** A run of {@code plan} as the conf describes it (hashes of the conf and of the catalog files). */
        public static Run of(SweepPlan plan, LocalDate runDate, Warehouse warehouse, tokencost.conf.TokencostConf conf,
                             tokencost.catalog.CatalogSource source) {
            return new Run(plan, runDate, warehouse, conf.origin(), Hashes.of(conf.outputCanonical()), Hashes.catalog(source),
                    conf.integer(tokencost.conf.TokencostConf.SWEEP_PARTITIONS),
                    conf.number(tokencost.conf.TokencostConf.PROGRESS_INTERVAL_S));
        }
    }

    /**
     * run_id = logical date + a hash of what changes the output: the conf's output settings and the catalogs
     * (scenarios and reference measurements included). The same scheduled run always has the same id; a run
     * that only moves the warehouse, the Spark master, the partitions or the progress interval keeps it.
     */
    public static String runId(LocalDate runDate, String confHash, String catalogHash) {
        return runDate + "-" + Hashes.of(confHash + "|" + catalogHash).substring(0, 8);
    }

    private SweepJob() {}

    public static Result run(SparkSession spark, Run run, PrintStream out) {
        String runId = run.runId();
        SweepPlan plan = run.plan();
        out.printf("sweep %s: %,d cells = %d models x %d hardware x %d workloads x %d stacks x %d device counts x %d batches%n",
                runId, plan.cells(), plan.models().size(), plan.hardware().size(), plan.workloads().size(), plan.stacks().size(),
                plan.devices().length, plan.batches().length);

        long t0 = System.nanoTime();
        DeltaTables tables = new DeltaTables(spark, run.warehouse(), TABLES);
        tables.ensureAll();
        Map<String, Double> stages = new LinkedHashMap<>();
        Map<String, DirectRunWrite.Result> written = new LinkedHashMap<>();
        var id = new AuditedRun.Identity(runId, run.runDate(), JOB, run.confFile(), run.confHash(), run.catalogHash());
        Map<String, Long> rows = AuditedRun.run(tables, id, plan.cells(), out, (counts, times) -> {
            times.put("prepare", seconds(t0));
            out.printf("  prepared tables and run log in %.1f s%n", times.get("prepare"));
            int partitions = partitions(run, spark, plan);
            out.printf("  grid, frontier, Pareto, optimization impact and dimensions in one pass: %,d cells in %d partitions -> %s%n",
                    plan.cells(), partitions, run.warehouse().root());
            long t = System.nanoTime();
            LongAccumulator done = spark.sparkContext().longAccumulator("tokencost.cells");
            Outputs outputs = Outputs.of(plan, runId, run.runDate());
            try (LiveCount live = new LiveCount(spark.sparkContext(), done);
                 Progress p = new Progress("grid", plan.cells(), live, run.progressIntervalS(), out)) {
                written.putAll(DirectRunWrite.replaceRuns(tables, runId, partitions, outputs.all(), producer(plan, partitions, outputs, done)));
            }
            written.forEach((table, r) -> counts.put(table, r.rows()));
            times.put("grid", seconds(t));
            DirectRunWrite.Result grid = written.get(SweepRows.GRID);
            out.printf("  grid: %,d cells written and committed in %.1f s (%,.0f cells/s)%s%n", plan.cells(), times.get("grid"),
                    plan.cells() / times.get("grid"), grid.bytes() < 0 ? "" : String.format(java.util.Locale.ROOT,
                            ", %d files, %,.1f MB, %.1f bytes/cell", grid.files(), grid.bytes() / 1e6,
                            (double) grid.bytes() / Math.max(1, plan.cells())));
            written.forEach((table, r) -> {
                if (!r.direct()) out.printf("  %s written through the DataFrame writer (%s)%n", table, r.notDirect());
            });
            times.put("total", seconds(t0));
            stages.putAll(times);
        });
        out.printf("sweep %s succeeded in %.1f s: %s%n", runId, stages.get("total"), rows);
        DirectRunWrite.Result grid = written.get(SweepRows.GRID);
        return new Result(runId, plan.cells(), rows, stages, grid == null ? -1 : grid.bytes());
    }

    public static int partitions(Run run, SparkSession spark, SweepPlan plan) {
        if (run.partitions() > 0) return (int) Math.min(run.partitions(), plan.slices());
        int byCores = 4 * spark.sparkContext().defaultParallelism();
        long bySize = (plan.cells() + CELLS_PER_PARTITION - 1) / CELLS_PER_PARTITION;
        return (int) Math.max(1, Math.min(plan.slices(), Math.max(byCores, bySize)));
    }

    /** Slices [lo, hi) of partition p out of n: an even split by index arithmetic. */
    static long[] sliceRange(long p, int n, long slices) {
        return new long[] {p * slices / n, (p + 1) * slices / n};
    }

    /** The sweep's tables as the outputs of one pass: the grid, its summaries per slice, the dimensions. */
    record Outputs(DirectRunWrite.Output<SweepRows.Cell> grid, DirectRunWrite.Output<SweepRows.FrontierRow> frontier,
                   DirectRunWrite.Output<SweepRows.ParetoRow> pareto, DirectRunWrite.Output<SweepRows.ImpactRow> impact,
                   DirectRunWrite.Output<Model> models, DirectRunWrite.Output<Hardware> hardware, DirectRunWrite.Output<Workload> workloads,
                   DirectRunWrite.Output<OptimizationStack> stacks) implements java.io.Serializable {
        static Outputs of(SweepPlan plan, String runId, LocalDate runDate) {
            long slices = plan.slices();
            return new Outputs(
                    new DirectRunWrite.Output<>(SweepRows.GRID, SweepRows.grid(runDate), plan.cells()),
                    new DirectRunWrite.Output<>(SweepRows.FRONTIER, MappedRows.of(SweepRows.FRONTIER, () -> SweepRows.frontier(runId, runDate)),
                            slices * plan.stacks().size()),
                    new DirectRunWrite.Output<>(SweepRows.PARETO, MappedRows.of(SweepRows.PARETO, () -> SweepRows.pareto(runId, runDate)), -1),
                    new DirectRunWrite.Output<>(SweepRows.IMPACT, MappedRows.of(SweepRows.IMPACT, () -> SweepRows.impact(runId, runDate)),
                            slices * (plan.impactVariants().size() + 1)),
                    new DirectRunWrite.Output<>(SweepRows.DIM_MODEL, MappedRows.of(SweepRows.DIM_MODEL, () -> SweepRows.dimModel(runId, runDate)),
                            plan.models().size()),
                    new DirectRunWrite.Output<>(SweepRows.DIM_HARDWARE,
                            MappedRows.of(SweepRows.DIM_HARDWARE, () -> SweepRows.dimHardware(runId, runDate)), plan.hardware().size()),
                    new DirectRunWrite.Output<>(SweepRows.DIM_WORKLOAD,
                            MappedRows.of(SweepRows.DIM_WORKLOAD, () -> SweepRows.dimWorkload(runId, runDate)), plan.workloads().size()),
                    new DirectRunWrite.Output<>(SweepRows.DIM_STACK, MappedRows.of(SweepRows.DIM_STACK, () -> SweepRows.dimStack(runId, runDate)),
                            plan.stacks().size()));
        }

        List<DirectRunWrite.Output<?>> all() {
            return List.of(grid, frontier, pareto, impact, models, hardware, workloads, stacks);
        }
    }

    /**
     * The steps of a partition index: for partition 0 first the dimensions, then one step per slice it owns — the
     * slice's cells evaluated once, written to the grid (fitting cells first) and summarised into the frontier, Pareto
     * and impact tables. {@code done} counts the cells evaluated.
     */
    static DirectRunWrite.Producer producer(SweepPlan plan, int partitions, Outputs outputs, LongAccumulator done) {
        return p -> {
            long[] range = sliceRange(p, partitions, plan.slices());
            var slices = java.util.stream.LongStream.range(range[0], range[1])
                    .mapToObj(slice -> (Consumer<DirectRunWrite.Sinks>) sinks -> slice(plan, slice, outputs, sinks, done));
            if (p != 0) return slices.iterator();
            Consumer<DirectRunWrite.Sinks> dimensions = sinks -> {
                var cat = plan.catalog();
                var models = sinks.sink(outputs.models());
                plan.models().forEach(m -> models.add(cat.model(m)));
                var hardware = sinks.sink(outputs.hardware());
                plan.hardware().forEach(h -> hardware.add(cat.hardware(h)));
                var workloads = sinks.sink(outputs.workloads());
                plan.workloads().forEach(w -> workloads.add(cat.workload(w)));
                plan.stacks().forEach(sinks.sink(outputs.stacks())::add);
            };
            return java.util.stream.Stream.concat(java.util.stream.Stream.of(dimensions), slices).iterator();
        };
    }

    private static void slice(SweepPlan plan, long slice, Outputs outputs, DirectRunWrite.Sinks sinks, LongAccumulator done) {
        boolean grid = sinks.wants(outputs.grid());
        boolean summaries = sinks.wants(outputs.frontier()) || sinks.wants(outputs.pareto()) || sinks.wants(outputs.impact());
        if (!grid && !summaries) return;
        List<Estimate> cells = new ArrayList<>(plan.cellsPerSlice());
        SliceEvaluator.cells(plan, slice, cells::add);
        if (done != null) done.add(cells.size());
        if (grid) {
            var w = plan.catalog().workload(plan.slice(slice)[2]);
            var sink = sinks.sink(outputs.grid());
            // Fitting cells first, then the rest: a file's null runs (a cell that does not fit has no latency, cost or
            // energy) become long runs that Parquet encodes almost for free.
            for (Estimate e : cells) if (e.fits()) sink.add(new SweepRows.Cell(e, w.inputTokens(), w.outputTokens()));
            for (Estimate e : cells) if (!e.fits()) sink.add(new SweepRows.Cell(e, w.inputTokens(), w.outputTokens()));
        }
        if (!summaries) return;
        SliceEvaluator.Summary s = SliceEvaluator.summarize(plan, slice, cells);
        var frontier = sinks.sink(outputs.frontier());
        for (SliceEvaluator.Frontier f : s.frontier()) frontier.add(new SweepRows.FrontierRow(s, f));
        var pareto = sinks.sink(outputs.pareto());
        for (int i = 0; i < s.pareto().size(); i++) pareto.add(new SweepRows.ParetoRow(s, i + 1, s.pareto().get(i)));
        var impact = sinks.sink(outputs.impact());
        for (SliceEvaluator.Impact im : s.impact()) impact.add(new SweepRows.ImpactRow(s, im));
    }

    /** The grid as a DataFrame of the table's columns (for writing it elsewhere: the benchmark's plain Parquet, tests). */
    public static Dataset<Row> grid(SparkSession spark, SweepPlan plan, String runId, LocalDate runDate, int partitions, LongAccumulator done) {
        List<String> columns = TableContract.load(SweepRows.GRID).columns();
        Outputs outputs = Outputs.of(plan, runId, runDate);
        return DirectRunWrite.dataFrame(spark, runId, partitions, outputs.grid(), producer(plan, partitions, outputs, done))
                .select(columns.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The catalog hash of a run, from the same source the catalog was loaded from. */
    public static String catalogHash(tokencost.catalog.CatalogSource source) {
        return Hashes.catalog(source);
    }
}
