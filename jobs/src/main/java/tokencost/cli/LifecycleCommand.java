package tokencost.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.catalog.Hashes;
import tokencost.catalog.Scenario;
import tokencost.conf.TokencostConf;
import tokencost.lifecycle.LifecycleJob;
import tokencost.lifecycle.LifecyclePlan;
import tokencost.sweep.SweepJob;
import tokencost.tables.Warehouse;

@Command(name = "lifecycle", mixinStandardHelpOptions = true,
        description = "Inference vs training per scenario (crossover, Jevons, fleet), with Monte Carlo P10/P50/P90, into Delta tables.")
final class LifecycleCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    JobOptions job;

    @Override
    public Integer call() {
        TokencostConf conf = common.conf();
        CatalogSource source = common.catalogSource(conf);
        Catalog catalog = Catalog.load(source);
        var baselines = LifecyclePlan.baselines(conf, catalog, Scenario.load(source, catalog));
        LocalDate date = job.date();
        Warehouse wh = job.warehouse(conf);
        String confHash = Hashes.of(conf.canonical());
        var run = new LifecycleJob.Run(baselines, catalog, conf.engineSettings(), conf.integer(TokencostConf.LIFECYCLE_DRAWS),
                conf.integer(TokencostConf.LIFECYCLE_SEED), date, wh, SweepJob.runId(date, confHash), conf.origin(), confHash,
                Hashes.catalog(source));
        JobOptions.withSpark(conf, wh, run.runId(), "lifecycle", spark -> LifecycleJob.run(spark, run, System.out));
        return 0;
    }
}
