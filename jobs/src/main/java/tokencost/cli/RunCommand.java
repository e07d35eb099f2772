package tokencost.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tokencost.calibration.ValidationJob;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.conf.TokencostConf;
import tokencost.lifecycle.LifecycleJob;
import tokencost.report.Report;
import tokencost.sweep.SweepJob;
import tokencost.sweep.SweepPlan;
import tokencost.tables.Warehouse;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "The main job: the sweep, then the lifecycle job, then the engine's validation, then the HTML report of the notebooks, on one Spark session under one writer lock.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    JobOptions job;

    @Option(names = "--report", paramLabel = "DIR", description = "Where the HTML report goes (default: ${DEFAULT-VALUE}).", defaultValue = "report")
    Path report;

    @Override
    public Integer call() {
        // Both jobs' inputs are validated before Spark starts.
        job.checkPaths(common.checkPaths()).reportFolder("--report", report).check();
        TokencostConf conf = common.conf();
        CatalogSource source = common.catalogSource(conf);
        Catalog catalog = Catalog.load(source);
        SweepPlan plan = SweepPlan.from(conf, catalog);
        LocalDate date = job.date();
        Warehouse wh = job.warehouse(conf);
        SweepJob.Run sweep = SweepJob.Run.of(plan, date, wh, conf, source);
        var lifecycle = LifecycleJob.Run.of(conf, catalog, source, date, wh);
        var validation = ValidationJob.Run.of(conf, catalog, source, date, wh);
        Path notebooks = NotebooksCommand.defaultNotebooks();
        tokencost.report.NotebookRunner.load(notebooks); // a broken notebook fails before anything is written
        Path[] index = new Path[1];
        JobOptions.withSpark(conf, wh, sweep.runId(), "run", spark -> {
            SweepJob.run(spark, sweep, System.out);
            LifecycleJob.run(spark, lifecycle, System.out);
            ValidationJob.run(spark, validation, System.out);
            index[0] = Report.write(spark, wh, notebooks, sweep.runId(), CliPaths.resolve(report), System.out);
        });
        System.out.println("tables: " + wh.root());
        System.out.println("report: " + index[0]);
        return 0;
    }
}
