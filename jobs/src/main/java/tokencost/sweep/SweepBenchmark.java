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
                          double deltaTotalSeconds, long heapMedianMb, long heapPeakMb) {}

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
        long t = System.nanoTime();
        SweepJob.grid(spark, plan, run.runId(), run.runDate(), partitions, spark.sparkContext().longAccumulator())
                .write().mode("overwrite").parquet(scratch + "/plain-parquet");
        double parquet = (System.nanoTime() - t) / 1e9;
        out.printf("  (b) same rows as plain Parquet: %.1f s (%,.0f cells/s)%n", parquet, plan.cells() / parquet);

        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        SweepJob.Result result = SweepJob.run(spark, run, quiet);
        double grid = result.stageSeconds().get("grid");
        double total = result.stageSeconds().get("total");
        out.printf("  (c) sweep into Delta: grid committed in %.1f s (%,.0f cells/s, %.2fx plain Parquet); whole run %.1f s%n",
                grid, plan.cells() / grid, grid / parquet, total);

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
        return new Figures(plan.cells(), engine, parquet, grid, total, heap.medianMb(), heap.peakMb());
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
        return m;
    }
}
