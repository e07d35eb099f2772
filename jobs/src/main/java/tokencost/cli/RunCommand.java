package tokencost.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.catalog.Scenario;
import tokencost.conf.TokencostConf;
import tokencost.lifecycle.LifecycleJob;
import tokencost.lifecycle.LifecyclePlan;
import tokencost.spark.SparkSessions;
import tokencost.sweep.SweepJob;
import tokencost.sweep.SweepPlan;
import tokencost.tables.Warehouse;
import tokencost.tables.WarehouseLock;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "The main job: the sweep, then the lifecycle job, on one Spark session under one writer lock.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", description = "Logical date of the run (default: today, UTC).")
    String runDate;

    @Option(names = "--warehouse", paramLabel = "PATH", description = "Where the Delta tables live (default: the conf's tokencost.warehouse.path).")
    String warehouse;

    @Override
    public Integer call() {
        // Both jobs' inputs are validated before Spark starts.
        TokencostConf conf = common.conf();
        CatalogSource source = common.catalogSource(conf);
        Catalog catalog = Catalog.load(source);
        SweepPlan plan = SweepPlan.from(conf, catalog);
        var baselines = LifecyclePlan.baselines(conf, catalog, Scenario.load(source, catalog));
        LocalDate date = SweepCommand.parseDate(runDate);
        Warehouse wh = Warehouse.at(warehouse != null ? warehouse : conf.string(TokencostConf.WAREHOUSE_PATH), CommonOptions.home(),
                conf.string(TokencostConf.WAREHOUSE_DATABASE));
        SweepJob.Run sweep = SweepJob.Run.of(plan, date, wh, conf, source);
        var lifecycle = new LifecycleJob.Run(baselines, catalog, conf.engineSettings(), conf.integer(TokencostConf.LIFECYCLE_DRAWS),
                conf.integer(TokencostConf.LIFECYCLE_SEED), date, wh, sweep.runId(), conf.origin(), sweep.confHash(), sweep.catalogHash());
        try (WarehouseLock lock = WarehouseLock.acquire(wh, sweep.runId(), conf.number(TokencostConf.WAREHOUSE_LOCK_WAIT_S))) {
            SparkSession spark = SparkSessions.create(conf, "tokencost run " + sweep.runId());
            try {
                SweepJob.run(spark, sweep, System.out);
                LifecycleJob.run(spark, lifecycle, System.out);
            } finally {
                spark.stop();
            }
        }
        System.out.println("tables: " + wh.root());
        return 0;
    }
}
