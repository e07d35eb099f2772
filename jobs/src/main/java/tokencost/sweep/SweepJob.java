package tokencost.sweep;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import tokencost.catalog.Hashes;
import tokencost.tables.AuditedRun;
import tokencost.tables.DeltaTables;
import tokencost.tables.DirectRunWrite;
import tokencost.tables.RowMapper;
import tokencost.tables.RunLog;
import tokencost.tables.TableContract;
import tokencost.tables.Warehouse;

/**
 * The inference sweep: every cell of the plan's grid through the engine, inside Spark partitions, into
 * Delta tables. Each partition generates its slices by index arithmetic (no shuffle, no cross join).
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
        DirectRunWrite.Result[] gridWrite = new DirectRunWrite.Result[1];
        var id = new AuditedRun.Identity(runId, run.runDate(), JOB, run.confFile(), run.confHash(), run.catalogHash());
        Map<String, Long> rows = AuditedRun.run(tables, id, plan.cells(), out, (written, times) -> {
            times.put("prepare", seconds(t0));
            out.printf("  prepared tables and run log in %.1f s%n", times.get("prepare"));
            int partitions = partitions(run, spark, plan);
            out.printf("  [1/3] grid: %,d cells in %d partitions -> %s%n", plan.cells(), partitions, tables.path(SweepRows.GRID));
            long t = System.nanoTime();
            LongAccumulator done = spark.sparkContext().longAccumulator("tokencost.cells");
            try (LiveCount live = new LiveCount(spark.sparkContext(), done);
                 Progress p = new Progress("grid", plan.cells(), live, run.progressIntervalS(), out)) {
                gridWrite[0] = DirectRunWrite.replaceRun(tables, SweepRows.GRID, runId, partitions, SweepRows.grid(run.runDate()),
                        cells(plan, partitions, done), plan.cells());
            }
            written.put(SweepRows.GRID, plan.cells());
            times.put("grid", seconds(t));
            out.printf("  grid: %,d cells written in %.1f s (%,.0f cells/s)%s%n", plan.cells(), times.get("grid"),
                    plan.cells() / times.get("grid"), gridWrite[0].bytes() < 0 ? "" : String.format(java.util.Locale.ROOT,
                            ", %d files, %,.1f MB, %.1f bytes/cell", gridWrite[0].files(), gridWrite[0].bytes() / 1e6,
                            (double) gridWrite[0].bytes() / Math.max(1, plan.cells())));

            out.println("  [2/3] frontier, Pareto, optimization impact");
            t = System.nanoTime();
            written.putAll(summaries(spark, tables, plan, runId, run.runDate(), partitions));
            times.put("summaries", seconds(t));
            out.printf("  summaries written in %.1f s%n", times.get("summaries"));

            out.println("  [3/3] dimensions");
            t = System.nanoTime();
            written.putAll(dimensions(spark, tables, plan, runId, run.runDate()));
            times.put("dimensions", seconds(t));
            out.printf("  dimensions written in %.1f s%n", times.get("dimensions"));
            times.put("total", seconds(t0));
            stages.putAll(times);
        });
        out.printf("sweep %s succeeded in %.1f s: %s%n", runId, stages.get("total"), rows);
        return new Result(runId, plan.cells(), rows, stages, gridWrite[0].bytes());
    }

    public static int partitions(Run run, SparkSession spark, SweepPlan plan) {
        if (run.partitions() > 0) return (int) Math.min(run.partitions(), plan.slices());
        int byCores = 4 * spark.sparkContext().defaultParallelism();
        long bySize = (plan.cells() + CELLS_PER_PARTITION - 1) / CELLS_PER_PARTITION;
        return (int) Math.max(1, Math.min(plan.slices(), Math.max(byCores, bySize)));
    }

    private static Dataset<Long> slicesPerPartition(SparkSession spark, int partitions) {
        return spark.range(0, partitions, 1, partitions);
    }

    /** Slices [lo, hi) of partition p out of n: an even split by index arithmetic. */
    static long[] sliceRange(long p, int n, long slices) {
        return new long[] {p * slices / n, (p + 1) * slices / n};
    }

    /** The grid's cells of one partition index, one slice at a time; {@code done} counts the cells evaluated. */
    static DirectRunWrite.Producer<SweepRows.Cell> cells(SweepPlan plan, int partitions, LongAccumulator done) {
        return p -> {
            List<SweepRows.Cell> notFitting = new ArrayList<>(plan.cellsPerSlice());
            return new SliceRows<SweepRows.Cell>(List.of(p).iterator(), partitions, plan.slices(), (slice, cells) -> {
                var w = plan.catalog().workload(plan.slice(slice)[2]);
                // Fitting cells first, then the rest: a file's null runs (a cell that does not fit has no
                // latency, cost or energy) become long runs that Parquet encodes almost for free.
                SliceEvaluator.cells(plan, slice, e -> (e.fits() ? cells : notFitting).add(new SweepRows.Cell(e, w.inputTokens(), w.outputTokens())));
                cells.addAll(notFitting);
                notFitting.clear();
                if (done != null) done.add(cells.size());
            });
        };
    }

    /** The grid as a DataFrame of the table's columns (for writing it elsewhere: the benchmark's plain Parquet, tests). */
    public static Dataset<Row> grid(SparkSession spark, SweepPlan plan, String runId, LocalDate runDate, int partitions, LongAccumulator done) {
        List<String> columns = TableContract.load(SweepRows.GRID).columns();
        return DirectRunWrite.dataFrame(spark, runId, partitions, SweepRows.grid(runDate), cells(plan, partitions, done))
                .select(columns.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
    }

    private static Map<String, Long> summaries(SparkSession spark, DeltaTables tables, SweepPlan plan, String runId,
                                               LocalDate runDate, int partitions) {
        StructType schema = new StructType()
                .add("kind", DataTypes.StringType, false)
                .add(SweepRows.FRONTIER, tables.contract(SweepRows.FRONTIER).sparkSchema(), true)
                .add(SweepRows.PARETO, tables.contract(SweepRows.PARETO).sparkSchema(), true)
                .add(SweepRows.IMPACT, tables.contract(SweepRows.IMPACT).sparkSchema(), true);
        MapPartitionsFunction<Long, Row> summarize = it -> {
            RowMapper<SweepRows.FrontierRow> frontier = SweepRows.frontier(runId, runDate);
            RowMapper<SweepRows.ParetoRow> pareto = SweepRows.pareto(runId, runDate);
            RowMapper<SweepRows.ImpactRow> impact = SweepRows.impact(runId, runDate);
            return new SliceRows<Row>(it, partitions, plan.slices(), (slice, rows) -> {
                SliceEvaluator.Summary s = SliceEvaluator.summarize(plan, slice);
                for (SliceEvaluator.Frontier f : s.frontier()) {
                    rows.add(RowFactory.create(SweepRows.FRONTIER, frontier.toRow(new SweepRows.FrontierRow(s, f)), null, null));
                }
                for (int i = 0; i < s.pareto().size(); i++) {
                    rows.add(RowFactory.create(SweepRows.PARETO, null, pareto.toRow(new SweepRows.ParetoRow(s, i + 1, s.pareto().get(i))), null));
                }
                for (SliceEvaluator.Impact im : s.impact()) {
                    rows.add(RowFactory.create(SweepRows.IMPACT, null, null, impact.toRow(new SweepRows.ImpactRow(s, im))));
                }
            });
        };
        Dataset<Row> all = slicesPerPartition(spark, partitions).mapPartitions(summarize, Encoders.row(schema))
                .persist(StorageLevel.DISK_ONLY()); // off-heap of the driver: its memory stays flat as grids grow
        try {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String table : List.of(SweepRows.FRONTIER, SweepRows.PARETO, SweepRows.IMPACT)) counts.put(table, 0L);
            for (Row r : all.groupBy("kind").count().collectAsList()) counts.put(r.getString(0), r.getLong(1));
            Map<String, java.util.function.Supplier<Dataset<Row>>> writes = new LinkedHashMap<>();
            for (String table : counts.keySet()) {
                writes.put(table, () -> all.where(org.apache.spark.sql.functions.col("kind").equalTo(table)).select(table + ".*"));
            }
            tables.replaceRuns(runId, writes);
            return counts;
        } finally {
            all.unpersist();
        }
    }

    private static Map<String, Long> dimensions(SparkSession spark, DeltaTables tables, SweepPlan plan, String runId, LocalDate runDate) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, java.util.function.Supplier<Dataset<Row>>> writes = new LinkedHashMap<>();
        var cat = plan.catalog();
        rows(spark, tables, SweepRows.DIM_MODEL, plan.models().stream().map(cat::model).toList(), SweepRows.dimModel(runId, runDate), counts, writes);
        rows(spark, tables, SweepRows.DIM_HARDWARE, plan.hardware().stream().map(cat::hardware).toList(), SweepRows.dimHardware(runId, runDate), counts, writes);
        rows(spark, tables, SweepRows.DIM_WORKLOAD, plan.workloads().stream().map(cat::workload).toList(), SweepRows.dimWorkload(runId, runDate), counts, writes);
        rows(spark, tables, SweepRows.DIM_STACK, plan.stacks(), SweepRows.dimStack(runId, runDate), counts, writes);
        tables.replaceRuns(runId, writes);
        return counts;
    }

    private static <T> void rows(SparkSession spark, DeltaTables tables, String table, List<T> values, RowMapper<T> mapper,
                                 Map<String, Long> counts, Map<String, java.util.function.Supplier<Dataset<Row>>> writes) {
        List<Row> rows = values.stream().map(mapper::toRow).toList();
        writes.put(table, () -> spark.createDataFrame(rows, tables.contract(table).sparkSchema()));
        counts.put(table, (long) rows.size());
    }

    /**
     * The rows of a partition: for each partition index it receives, the slices that index owns, expanded one
     * slice at a time — memory per task does not grow with the grid.
     */
    static final class SliceRows<T> implements Iterator<T> {
        private final Iterator<Long> partitionIndices;
        private final int partitions;
        private final long totalSlices;
        private final java.util.function.BiConsumer<Long, List<T>> expand;
        private final List<T> buffer = new ArrayList<>();
        private long slice;
        private long end;
        private int pos;

        SliceRows(Iterator<Long> partitionIndices, int partitions, long totalSlices,
                  java.util.function.BiConsumer<Long, List<T>> expand) {
            this.partitionIndices = partitionIndices;
            this.partitions = partitions;
            this.totalSlices = totalSlices;
            this.expand = expand;
        }

        @Override
        public boolean hasNext() {
            while (pos >= buffer.size()) {
                if (slice >= end) {
                    if (!partitionIndices.hasNext()) return false;
                    long[] range = sliceRange(partitionIndices.next(), partitions, totalSlices);
                    slice = range[0];
                    end = range[1];
                    continue;
                }
                buffer.clear();
                pos = 0;
                expand.accept(slice++, buffer);
            }
            return true;
        }

        @Override
        public T next() {
            if (!hasNext()) throw new NoSuchElementException();
            return buffer.get(pos++);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The catalog hash of a run, from the same source the catalog was loaded from. */
    public static String catalogHash(tokencost.catalog.CatalogSource source) {
        return Hashes.catalog(source);
    }
}
