package tokencost.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.catalog.InvalidInputException;
import tokencost.catalog.Problem;
import tokencost.catalog.ReferenceMeasurement;
import tokencost.catalog.Scenario;
import tokencost.conf.TokencostConf;
import tokencost.engine.Validation;
import tokencost.lifecycle.LifecycleJob;
import tokencost.report.Notebook;
import tokencost.report.NotebookRunner;
import tokencost.sweep.SweepPlan;
import tokencost.tables.Warehouse;

/**
 * Every check any job would run, and nothing computed: the paths (as {@code run} checks them), the conf, every
 * catalog (datasets/*.csv, scenarios.csv, calibration/reference-measurements.tsv), the sweep's axes against the
 * catalogs and its size, the lifecycle plan, the notebooks. Every problem is listed at once where one check does not
 * need another's result; exit 2 when there is any, with the lines the jobs would print.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Run every check the jobs run (paths, conf, catalogs, scenarios, reference measurements, sweep axes and size, "
                + "lifecycle plan, notebooks) and list all problems (file, line, field, reason). Exit 2 if any; nothing is computed or written.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    JobOptions job;

    @Option(names = "--report", paramLabel = "DIR", description = "The report folder run would write (default: ${DEFAULT-VALUE}).", defaultValue = "report")
    Path report;

    /** Everything validate found wrong: path and other one-line problems, and the input problems (file, line, field). */
    static final class Failed extends IllegalArgumentException {
        private final List<String> lines;
        private final List<Problem> problems;

        Failed(List<String> lines, List<Problem> problems) {
            super(String.join("\n", lines) + (problems.isEmpty() ? "" : (lines.isEmpty() ? "" : "\n")
                    + new InvalidInputException(problems).getMessage()));
            this.lines = List.copyOf(lines);
            this.problems = List.copyOf(problems);
        }

        List<String> lines() {
            return lines;
        }

        List<Problem> problems() {
            return problems;
        }
    }

    private final List<String> lines = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();

    /** Runs one check; its problems are kept and null is returned when it fails with bad input. */
    private <T> T attempt(Supplier<T> check) {
        try {
            return check.get();
        } catch (PathChecks.BadPathsException e) {
            lines.addAll(e.problems());
        } catch (InvalidInputException e) {
            problems.addAll(e.problems());
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) throw e;
            lines.add(e.getMessage());
        }
        return null;
    }

    private boolean paths(PathChecks checks) {
        lines.addAll(checks.problems());
        return checks.problems().isEmpty();
    }

    @Override
    public Integer call() {
        boolean confPath = paths(new PathChecks().inputFile("--conf", common.conf));
        boolean datasetsPath = paths(new PathChecks().inputFolder("--datasets", common.datasets));
        paths(job.checkPaths(new PathChecks()));
        paths(new PathChecks().reportFolder("--report", report));
        LocalDate date = attempt(job::date);

        TokencostConf conf = confPath ? attempt(common::conf) : null;
        Warehouse wh = conf == null ? null : attempt(() -> job.warehouse(conf));

        // The catalogs: where the conf (or --datasets) says; without a conf only when --datasets names them.
        CatalogSource source = !datasetsPath || (conf == null && common.datasets == null) ? null
                : common.catalogSource(conf != null ? conf : TokencostConf.defaults());
        Catalog catalog = source == null ? null : attempt(() -> Catalog.load(source));
        Map<String, Scenario> scenarios = null;
        List<ReferenceMeasurement> measurements = null;
        SweepPlan plan = null;
        LifecycleJob.Run lifecycle = null;
        if (catalog == null && source != null) { // the files that refer to the catalog, each checked alone
            attempt(() -> Scenario.load(source, null));
            attempt(() -> ReferenceMeasurement.load(source, null));
        }
        if (catalog != null) {
            scenarios = attempt(() -> Scenario.load(source, catalog));
            measurements = attempt(() -> ReferenceMeasurement.load(source, catalog));
            if (conf != null) {
                plan = attempt(() -> SweepPlan.from(conf, catalog));
                if (scenarios != null) {
                    Warehouse anywhere = wh != null ? wh : CliPaths.warehouse(CliPaths.cwd().toString());
                    LocalDate day = date != null ? date : LocalDate.now(java.time.ZoneOffset.UTC);
                    lifecycle = attempt(() -> LifecycleJob.Run.of(conf, catalog, source, day, anywhere));
                }
                if (measurements != null) {
                    List<ReferenceMeasurement> rows = measurements;
                    attempt(() -> Validation.predictAll(rows, catalog, conf.engineSettings(), "validate"));
                }
            }
        }
        Path notebooksDir = NotebooksCommand.defaultNotebooks();
        List<Notebook> notebooks = attempt(() -> NotebookRunner.load(notebooksDir));

        if (!lines.isEmpty() || !problems.isEmpty()) throw new Failed(lines, problems);
        System.out.printf("conf %s: ok%n", conf.origin());
        System.out.printf("catalogs: ok (%d models, %d hardware, %d workloads, %d optimization levers, %d scenarios, %d reference measurements) from %s%n",
                catalog.models().size(), catalog.hardware().size(), catalog.workloads().size(), catalog.levers().size(),
                scenarios.size(), measurements.size(), source.describe("").replaceAll("/$", ""));
        System.out.printf("sweep: ok (%,d cells = %d models x %d hardware x %d workloads x %d stacks x %d device counts x %d batches, limit %,d)%n",
                plan.cells(), plan.models().size(), plan.hardware().size(), plan.workloads().size(), plan.stacks().size(),
                plan.devices().length, plan.batches().length, conf.longValue(TokencostConf.SWEEP_MAX_CELLS));
        System.out.printf("lifecycle: ok (%d scenarios x (1 + %d draws))%n", lifecycle.baselines().size(), lifecycle.draws());
        System.out.printf("notebooks: ok (%d in %s)%n", notebooks.size(), notebooksDir);
        System.out.printf("paths: ok (warehouse %s, report %s)%n", wh.root(), CliPaths.resolve(report));
        return 0;
    }
}
