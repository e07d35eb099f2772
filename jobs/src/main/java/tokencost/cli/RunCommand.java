package tokencost.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.conf.TokencostConf;
import tokencost.lifecycle.LifecycleJob;
import tokencost.sweep.SweepJob;
import tokencost.sweep.SweepPlan;
import tokencost.tables.Warehouse;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "The main job: the sweep, then the lifecycle job, on one Spark session under one writer lock.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    JobOptions job;

    @Override
    public Integer call() {
        // Both jobs' inputs are validated before Spark starts.
        TokencostConf conf = common.conf();
        CatalogSource source = common.catalogSource(conf);
        Catalog catalog = Catalog.load(source);
        SweepPlan plan = SweepPlan.from(conf, catalog);
        LocalDate date = job.date();
        Warehouse wh = job.warehouse(conf);
        SweepJob.Run sweep = SweepJob.Run.of(plan, date, wh, conf, source);
        var lifecycle = LifecycleJob.Run.of(conf, catalog, source, date, wh);
        JobOptions.withSpark(conf, wh, sweep.runId(), "run", spark -> {
            SweepJob.run(spark, sweep, System.out);
            LifecycleJob.run(spark, lifecycle, System.out);
        });
        System.out.println("tables: " + wh.root());
        return 0;
    }
}
