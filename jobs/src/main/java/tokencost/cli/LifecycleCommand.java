package tokencost.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.catalog.Hashes;
import tokencost.catalog.Scenario;
import tokencost.conf.TokencostConf;
import tokencost.lifecycle.LifecycleJob;
import tokencost.lifecycle.LifecyclePlan;
import tokencost.spark.SparkSessions;
import tokencost.sweep.SweepJob;
import tokencost.tables.Warehouse;
import tokencost.tables.WarehouseLock;

@Command(name = "lifecycle", mixinStandardHelpOptions = true,
        description = "Inference vs training per scenario (crossover, Jevons, fleet), with Monte Carlo P10/P50/P90, into Delta tables.")
final class LifecycleCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", description = "Logical date of the run (default: today, UTC).")
    String runDate;

    @Option(names = "--warehouse", paramLabel = "PATH", description = "Where the Delta tables live (default: the conf's tokencost.warehouse.path).")
    String warehouse;

    @Override
    public Integer call() {
        TokencostConf conf = common.conf();
        CatalogSource source = common.catalogSource(conf);
        Catalog catalog = Catalog.load(source);
        var baselines = LifecyclePlan.baselines(conf, catalog, Scenario.load(source, catalog));
        LocalDate date = SweepCommand.parseDate(runDate);
        Warehouse wh = Warehouse.at(warehouse != null ? warehouse : conf.string(TokencostConf.WAREHOUSE_PATH), CommonOptions.home(),
                conf.string(TokencostConf.WAREHOUSE_DATABASE));
        String confHash = Hashes.of(conf.canonical());
        var run = new LifecycleJob.Run(baselines, catalog, conf.engineSettings(), conf.integer(TokencostConf.LIFECYCLE_DRAWS),
                conf.integer(TokencostConf.LIFECYCLE_SEED), date, wh, SweepJob.runId(date, confHash), conf.origin(), confHash,
                Hashes.catalog(source));
        try (WarehouseLock lock = WarehouseLock.acquire(wh, run.runId(), conf.number(TokencostConf.WAREHOUSE_LOCK_WAIT_S))) {
            SparkSession spark = SparkSessions.create(conf, "tokencost lifecycle " + run.runId());
            try {
                LifecycleJob.run(spark, run, System.out);
            } finally {
                spark.stop();
            }
        }
        return 0;
    }
}
