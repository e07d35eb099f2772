package tokencost.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tokencost.calibration.ValidationJob;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.tables.Warehouse;
import tokencost.catalog.KernelEfficiency;
import tokencost.catalog.ReferenceMeasurement;
import tokencost.conf.TokencostConf;
import tokencost.engine.EngineSettings;
import tokencost.engine.Validation;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "The engine against published measurements (datasets/calibration/reference-measurements.tsv): "
                + "predicted vs measured per row, in-sample and held out by vendor and by regime.")
final class CalibrateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    JobOptions job;

    @Option(names = "--no-table", description = "Print only: do not write the engine_validation Delta table.")
    boolean noTable;

    @Option(names = "--fit", description = "Refit the default runtime's kernel efficiencies on every row and print them "
            + "(the values to put in datasets/runtimes.csv).")
    boolean fit;

    @Option(names = "--only", paramLabel = "FIELD=VALUE", description = "Validate only the rows whose vendor, hardware, "
            + "model, runtime, regime or metric equals VALUE (repeatable; all must match).")
    List<String> only = new ArrayList<>();

    @Override
    public Integer call() {
        common.checkPaths().check();
        TokencostConf conf = common.conf();
        Catalog catalog = common.catalog(conf);
        EngineSettings cfg = conf.engineSettings();
        List<ReferenceMeasurement> measurements = ReferenceMeasurement.load(common.catalogSource(conf), catalog);
        for (String filter : only) {
            String[] kv = filter.split("=", 2);
            if (kv.length != 2) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--only takes FIELD=VALUE, got '" + filter + "'");
            measurements = measurements.stream().filter(r -> kv[1].equals(switch (kv[0]) {
                case "vendor" -> r.vendor();
                case "hardware" -> r.hardware();
                case "model" -> r.model();
                case "runtime" -> r.runtime();
                case "regime" -> r.regime();
                case "metric" -> r.metric();
                default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--only field must be vendor, hardware, model, runtime, regime or metric, got '" + kv[0] + "'");
            })).toList();
        }
        if (fit) {
            Validation.Fit f = Validation.fit(measurements, catalog, cfg);
            System.out.println("fit over " + measurements.size() + " rows (" + f.evaluations() + " evaluations, loss "
                    + String.format(Locale.ROOT, "%.4f", f.loss()) + "):");
            System.out.println("  " + String.join(",", KernelEfficiency.PARAMETERS));
            System.out.println("  default/*: " + csv(f.anyVendor()));
            f.byVendor().forEach((v, k) -> System.out.println("  default/" + v + ": " + csv(k)));
            f.byRuntime().forEach((r, k) -> System.out.println("  " + r + "/*: " + csv(k)));
            f.byRuntimeVendor().forEach((r, ports) -> ports.forEach((v, k) -> System.out.println("  " + r + "/" + v + ": " + csv(k))));
            catalog = f.applyTo(catalog);
        }
        CatalogSource source = common.catalogSource(conf);
        Warehouse wh = job.warehouse(conf);
        var run = ValidationJob.Run.of(measurements, conf, catalog, source, job.date(), wh);
        List<Validation.Row> inSample = run.foldsByKind().get(ValidationJob.IN_SAMPLE);
        List<Validation.Row> byVendor = run.foldsByKind().get(ValidationJob.BY_VENDOR);
        List<Validation.Row> byRegime = run.foldsByKind().get(ValidationJob.BY_REGIME);
        List<List<Object>> table = new ArrayList<>();
        for (var r : inSample) {
            var m = r.measured();
            table.add(Arrays.asList(m.rowId(), m.vendor(), m.model(), m.hardware(), m.devices(),
                    m.weightPrecision(), m.inputTokens() + "/" + m.outputTokens(), m.batch() == 0 ? "max" : m.batch(),
                    m.regime(), m.metric(), fmt(m.value()), fmt(r.predicted()), pct(r.error()),
                    pct(find(byVendor, m).error()), pct(find(byRegime, m).error()), r.estimate().bound().label()));
        }
        System.out.print(Text.table(List.of("row", "vendor", "model", "hardware", "dev", "prec", "in/out", "batch", "regime",
                "metric", "measured", "predicted", "error", "held_out_vendor", "held_out_regime", "bound"), table));
        summary("vendor", inSample, byVendor, byRegime, r -> r.measured().vendor());
        summary("regime", inSample, byVendor, byRegime, r -> r.measured().regime());
        summary("runtime", inSample, byVendor, byRegime, r -> r.measured().runtime());
        summary("hardware", inSample, byVendor, byRegime, r -> r.measured().hardware());
        print("in-sample", Validation.Stats.of(inSample));
        print("leave-one-vendor-out", Validation.Stats.of(byVendor));
        print("leave-one-regime-out", Validation.Stats.of(byRegime));
        // how far one set of kernel efficiencies for every runtime and vendor gets, even on rows it was fitted to
        Validation.Fit pooled = Validation.fitPooled(measurements, catalog, cfg);
        print("one-row-for-all", Validation.Stats.of(Validation.predictAll(measurements, pooled.applyTo(catalog), cfg, "pooled")));
        if (noTable || fit) return 0; // a trial fit is not the catalog's: nothing to record
        JobOptions.withSpark(conf, wh, run.runId(), ValidationJob.JOB, spark -> ValidationJob.run(spark, run, System.out));
        return 0;
    }

    private static String csv(KernelEfficiency k) {
        StringBuilder b = new StringBuilder();
        for (double v : k.toArray()) b.append(b.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4g", v));
        return b.toString();
    }

    private static Validation.Row find(List<Validation.Row> rows, ReferenceMeasurement m) {
        return rows.stream().filter(r -> r.measured().rowId().equals(m.rowId())).findFirst().orElseThrow();
    }

    /** Median |error| and worst factor per group, in-sample and in both held-out folds. */
    private static void summary(String by, List<Validation.Row> in, List<Validation.Row> vendor, List<Validation.Row> regime,
                                java.util.function.Function<Validation.Row, String> key) {
        List<List<Object>> table = new ArrayList<>();
        for (String k : new java.util.TreeSet<>(in.stream().map(key).toList())) {
            List<Object> line = new ArrayList<>(List.of(k, in.stream().filter(r -> key.apply(r).equals(k)).count()));
            for (List<Validation.Row> fold : List.of(in, vendor, regime)) {
                Validation.Stats st = Validation.Stats.of(fold.stream().filter(r -> key.apply(r).equals(k)).toList());
                line.add(String.format(Locale.ROOT, "%.1f%% / %.2fx", 100 * st.medianAbsError(), st.maxFactorOff()));
            }
            table.add(line);
        }
        System.out.print(Text.table(List.of(by, "rows", "in-sample", "held_out_vendor", "held_out_regime"), table));
    }

    private static void print(String what, Validation.Stats s) {
        System.out.printf(Locale.ROOT, "%-22s %d rows, median absolute error %.1f%%, worst %.2fx%n", what, s.rows(),
                100 * s.medianAbsError(), s.maxFactorOff());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.3g", v);
    }

    private static String pct(double e) {
        return String.format(Locale.ROOT, "%+.0f%%", 100 * e);
    }
}
