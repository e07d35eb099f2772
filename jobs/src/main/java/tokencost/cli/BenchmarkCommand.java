package tokencost.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.conf.TokencostConf;
import tokencost.spark.SparkSessions;
import tokencost.sweep.SweepBenchmark;
import tokencost.sweep.SweepJob;
import tokencost.sweep.SweepPlan;
import tokencost.tables.Warehouse;
import tokencost.tables.WarehouseLock;

@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Sweep speed and memory: cells/s into Delta vs the engine alone vs plain Parquet; driver heap at 1/10 and full size.")
final class BenchmarkCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--scratch", paramLabel = "DIR", description = "Scratch folder for the benchmark's tables (default: jobs/target/benchmark).")
    Path scratch;

    @Override
    public Integer call() throws Exception {
        Path dir = scratch != null ? CliPaths.resolve(scratch) : CommonOptions.home().resolve("jobs/target/benchmark");
        common.checkPaths().outputFolder("--scratch", scratch != null ? scratch : dir).check();
        if (common.conf == null) common.conf = CommonOptions.home().resolve("conf/benchmark.conf");
        TokencostConf conf = common.conf();
        CatalogSource source = common.catalogSource(conf);
        Catalog catalog = Catalog.load(source);
        SweepPlan full = SweepPlan.from(conf, catalog);
        // A tenth of the grid: the same axes on a tenth of the hardware.
        List<String> tenthHw = full.hardware().subList(0, Math.max(1, full.hardware().size() / 10));
        SweepPlan tenth = new SweepPlan(catalog, full.settings(), full.models(), tenthHw, full.workloads(), full.stacks(),
                full.devices(), full.batches(), full.impactVariants());
        Files.createDirectories(dir);
        Warehouse wh = CliPaths.warehouse(dir.resolve("warehouse").toString());
        try (WarehouseLock lock = WarehouseLock.acquire(wh, "benchmark", conf.number(TokencostConf.WAREHOUSE_LOCK_WAIT_S))) {
            long start = System.nanoTime();
            SparkSession spark = SparkSessions.create(conf, "tokencost benchmark");
            System.out.printf("Spark started in %.1f s%n", (System.nanoTime() - start) / 1e9);
            try {
                var small = SweepBenchmark.run(spark, SweepJob.Run.of(tenth, LocalDate.of(2000, 1, 1), wh, conf, source), dir.toString(), System.out);
                var big = SweepBenchmark.run(spark, SweepJob.Run.of(full, LocalDate.of(2000, 1, 2), wh, conf, source), dir.toString(), System.out);
                // one slice of the grid: what a run costs besides its cells
                SweepPlan one = new SweepPlan(catalog, full.settings(), full.models().subList(0, 1), full.hardware().subList(0, 1),
                        full.workloads().subList(0, 1), full.stacks(), full.devices(), full.batches(), full.impactVariants());
                double[] fixed = SweepBenchmark.fixedCost(spark, SweepJob.Run.of(one, LocalDate.of(2000, 1, 3), wh, conf, source), dir);
                System.out.printf("  (e) fixed cost: a one-slice run (%,d cells) takes %.1f s on a fresh warehouse, %.1f s on an existing one%n",
                        one.cells(), fixed[0], fixed[1]);
                int cores = Runtime.getRuntime().availableProcessors();
                System.out.printf("%nsummary (%d cores)%n", cores);
                System.out.printf("  cells                         %,14d %,14d%n", small.cells(), big.cells());
                System.out.printf("  engine alone, cells/s         %,14.0f %,14.0f%n", small.engineCellsPerS(), big.engineCellsPerS());
                System.out.printf("  engine alone, cells/s per core%,14.0f %,14.0f%n", small.engineCellsPerS() / cores, big.engineCellsPerS() / cores);
                System.out.printf("  plain Parquet, s              %14.1f %14.1f%n", small.parquetSeconds(), big.parquetSeconds());
                System.out.printf("  sweep grid into Delta, s      %14.1f %14.1f%n", small.deltaGridSeconds(), big.deltaGridSeconds());
                System.out.printf("  Delta / Parquet               %14.2f %14.2f%n", small.deltaGridSeconds() / small.parquetSeconds(),
                        big.deltaGridSeconds() / big.parquetSeconds());
                System.out.printf("  sweep cells/s (grid)          %,14.0f %,14.0f%n", small.cells() / small.deltaGridSeconds(),
                        big.cells() / big.deltaGridSeconds());
                System.out.printf("  bytes/cell Delta (Parquet)    %8.1f (%3.1f) %8.1f (%3.1f)%n", small.deltaBytesPerCell(), small.parquetBytesPerCell(),
                        big.deltaBytesPerCell(), big.parquetBytesPerCell());
                System.out.printf("  whole sweep run, CPU s        %14.0f %14.0f%n", small.gridCpuSeconds(), big.gridCpuSeconds());
                System.out.printf("  whole sweep run, s            %14.1f %14.1f%n", small.deltaTotalSeconds(), big.deltaTotalSeconds());
                System.out.printf("  live heap median, MB          %14d %14d%n", small.heapMedianMb(), big.heapMedianMb());
                System.out.printf("  live heap max, MB             %14d %14d%n", small.heapPeakMb(), big.heapPeakMb());
            } finally {
                spark.stop();
            }
        }
        return 0;
    }

}
