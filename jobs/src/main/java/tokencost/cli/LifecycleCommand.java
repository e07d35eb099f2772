package tokencost.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.conf.TokencostConf;
import tokencost.lifecycle.LifecycleJob;
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
        job.checkPaths(common.checkPaths()).check();
        TokencostConf conf = common.conf();
        CatalogSource source = common.catalogSource(conf);
        Catalog catalog = Catalog.load(source);
        Warehouse wh = job.warehouse(conf);
        var run = LifecycleJob.Run.of(conf, catalog, source, job.date(), wh);
        JobOptions.withSpark(conf, wh, run.runId(), "lifecycle", spark -> LifecycleJob.run(spark, run, System.out));
        return 0;
    }
}
