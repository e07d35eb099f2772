package tokencost.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.conf.TokencostConf;
import tokencost.sweep.SweepJob;
import tokencost.sweep.SweepPlan;
import tokencost.tables.Warehouse;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "The Spark sweep: model x hardware x workload x optimization stack x devices x batch into Delta tables.")
final class SweepCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    JobOptions job;

    @Override
    public Integer call() {
        // Everything is validated before Spark starts: a bad path, conf or catalog costs nothing.
        job.checkPaths(common.checkPaths()).check();
        TokencostConf conf = common.conf();
        CatalogSource source = common.catalogSource(conf);
        Catalog catalog = Catalog.load(source);
        SweepPlan plan = SweepPlan.from(conf, catalog);
        Warehouse wh = job.warehouse(conf);
        SweepJob.Run run = SweepJob.Run.of(plan, job.date(), wh, conf, source);
        JobOptions.withSpark(conf, wh, run.runId(), "sweep", spark -> SweepJob.run(spark, run, System.out));
        return 0;
    }

    static LocalDate parseDate(String s) {
        if (s == null) return LocalDate.now(java.time.ZoneOffset.UTC);
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--run-date must be YYYY-MM-DD, got '" + s + "'");
        }
    }
}
