package tokencost.sweep;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.SparkSession;

/**
 * Measures the sweep end to end (grid -> engine -> Delta committed) next to (a) the engine alone over the same
 * cells in a plain Java loop and (b) writing the same rows as plain Parquet; and the driver's heap while the
 * grid is generated, at this size and at a tenth of it.
 */
public final class SweepBenchmark {
    private SweepBenchmark() {}

    public record Figures(long cells, double engineCellsPerS, double parquetSeconds, double deltaGridSeconds,
                          double deltaTotalSeconds, long heapMedianMb, long heapPeakMb, double parquetBytesPerCell,
                          double deltaBytesPerCell, double gridCpuSeconds) {}

    /** The engine alone: every cell of the plan, on all cores, no Spark. */
    public static double engineCellsPerSecond(SweepPlan plan) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong next = new AtomicLong();
        AtomicLong sink = new AtomicLong();
        long t = System.nanoTime();
        try {
            Future<?>[] fs = new Future<?>[threads];
            for (int i = 0; i < threads; i++) {
                fs[i] = pool.submit(() -> {
                    long local = 0;
                    for (long s = next.getAndIncrement(); s < plan.slices(); s = next.getAndIncrement()) {
                        long[] n = {0};
                        SliceEvaluator.cells(plan, s, e -> n[0] += e.fits() ? 1 : 0);
                        local += n[0];
                    }
                    sink.addAndGet(local);
                });
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdown();
        }
        return plan.cells() / ((System.nanoTime() - t) / 1e9);
    }

    public static Figures run(SparkSession spark, SweepJob.Run run, String scratch, PrintStream out) throws Exception {
        SweepPlan plan = run.plan();
        out.printf("benchmark: %,d cells%n", plan.cells());
        double engine = engineCellsPerSecond(plan);
        out.printf("  (a) engine alone, plain Java loop on %d cores: %,.0f cells/s (%.1f s)%n",
                Runtime.getRuntime().availableProcessors(), engine, plan.cells() / engine);

        int partitions = SweepJob.partitions(run, spark, plan);
        String plain = scratch + "/plain-parquet";
        long t = System.nanoTime();
        SweepJob.grid(spark, plan, run.runId(), run.runDate(), partitions, spark.sparkContext().longAccumulator())
                .write().mode("overwrite").parquet(plain);
        double parquet = (System.nanoTime() - t) / 1e9;
        double parquetBytes = bytesOf(spark, plain) / (double) plan.cells();
        out.printf("  (b) same rows as plain Parquet (Spark's writer, unpartitioned): %.1f s (%,.0f cells/s), %.1f bytes/cell%n",
                parquet, plan.cells() / parquet, parquetBytes);

        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        long cpu0 = processCpuNanos();
        SweepJob.Result result = SweepJob.run(spark, run, quiet);
        double grid = result.stageSeconds().get("grid");
        double total = result.stageSeconds().get("total");
        double deltaBytes = result.gridBytes() / (double) plan.cells();
        // what the benchmark commits must be the plan: one row per cell, read back from the committed table
        long committed = spark.read().format("delta").load(run.warehouse().table(SweepRows.GRID))
                .where(org.apache.spark.sql.functions.col("run_id").equalTo(run.runId())).count();
        if (committed != plan.cells()) {
            throw new IllegalStateException("benchmark: the grid table holds " + committed + " rows of run " + run.runId()
                    + ", the plan has " + plan.cells());
        }
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        out.printf("  (c) sweep into Delta: grid committed in %.1f s (%,.0f cells/s, %.2fx plain Parquet), %.1f bytes/cell,"
                        + " %,d rows read back = the plan; whole run %.1f s (%.0f CPU s)%n",
                grid, plan.cells() / grid, grid / parquet, deltaBytes, committed, total, cpu);

        // Heap is measured on a second, identical run (a re-run: it replaces the first run's rows), because the
        // full collections the sampler forces would slow the timed run.
        HeapSampler heap = new HeapSampler();
        try {
            SweepJob.run(spark, run, quiet);
        } finally {
            heap.stop();
        }
        out.printf("  (d) live heap while re-running the sweep (full GC every %d s): median %d MB, max %d MB%n",
                HeapSampler.INTERVAL_MS / 1000, heap.medianMb(), heap.peakMb());
        return new Figures(plan.cells(), engine, parquet, grid, total, heap.medianMb(), heap.peakMb(), parquetBytes, deltaBytes, cpu);
    }

    /** Bytes of the data files under a folder (Parquet files only; not logs or checksums). */
    static long bytesOf(SparkSession spark, String dir) throws java.io.IOException {
        var path = new org.apache.hadoop.fs.Path(dir);
        var fs = path.getFileSystem(spark.sessionState().newHadoopConf());
        long n = 0;
        for (var it = fs.listFiles(path, true); it.hasNext(); ) {
            var f = it.next();
            if (f.getPath().getName().endsWith(".parquet")) n += f.getLen();
        }
        return n;
    }

    /** CPU time this JVM has used, all threads (the VM's wall clock varies with its neighbours; this less so). */
    static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /**
     * The fixed cost of a run: a one-slice sweep (a few hundred cells) end to end on a fresh warehouse, then again on
     * the same warehouse — table creation, constraints, the run log, summaries and dimensions, with almost no grid.
     */
    public static double[] fixedCost(SparkSession spark, SweepJob.Run oneSlice, java.nio.file.Path scratch) throws Exception {
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        var wh = tokencost.tables.Warehouse.at(scratch.resolve("fixed-cost-" + System.nanoTime()).toString(), scratch);
        var run = new SweepJob.Run(oneSlice.plan(), oneSlice.runDate(), wh, oneSlice.confFile(), oneSlice.confHash(),
                oneSlice.catalogHash(), oneSlice.partitions(), oneSlice.progressIntervalS());
        double fresh = SweepJob.run(spark, run, quiet).stageSeconds().get("total");
        double existing = SweepJob.run(spark, run, quiet).stageSeconds().get("total");
        return new double[] {fresh, existing};
    }

    /**
     * Samples the JVM's live heap: a full collection, then the heap in use, every 2 s while the sweep runs.
     * (Heap "in use" without a collection mostly measures garbage not yet collected.)
     */
    static final class HeapSampler {
        static final long INTERVAL_MS = 3000;
        private final MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private final java.util.List<Long> samples = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        private volatile boolean done;
        private final Thread thread;

        HeapSampler() {
            thread = new Thread(() -> {
                while (!done) {
                    mem.gc();
                    long used = mem.getHeapMemoryUsage().getUsed();
                    samples.add(used);
                    peak.accumulateAndGet(used, Math::max);
                    try {
                        Thread.sleep(INTERVAL_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "tokencost-heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            done = true;
            thread.interrupt();
        }

        long peakMb() {
            return peak.get() / (1024 * 1024);
        }

        long medianMb() {
            synchronized (samples) {
                if (samples.isEmpty()) return 0;
                var sorted = new java.util.ArrayList<>(samples);
                java.util.Collections.sort(sorted);
                return sorted.get(sorted.size() / 2) / (1024 * 1024);
            }
        }
    }

    /** Convenience for the command: the figures as ordered pairs. */
    public static Map<String, Object> asMap(Figures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cells", f.cells());
        m.put("engine_cells_per_s", f.engineCellsPerS());
        m.put("parquet_s", f.parquetSeconds());
        m.put("delta_grid_s", f.deltaGridSeconds());
        m.put("delta_total_s", f.deltaTotalSeconds());
        m.put("heap_median_mb", f.heapMedianMb());
        m.put("heap_peak_mb", f.heapPeakMb());
        m.put("parquet_bytes_per_cell", f.parquetBytesPerCell());
        m.put("delta_bytes_per_cell", f.deltaBytesPerCell());
        m.put("sweep_cpu_s", f.gridCpuSeconds());
        return m;
    }
}
