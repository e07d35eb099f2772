package tokencost.calibration;

import java.io.PrintStream;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import tokencost.tables.AuditedRun;
import tokencost.tables.DeltaTables;
import tokencost.tables.RowMapper;
import tokencost.tables.RunLog;
import tokencost.tables.TableContract;
import tokencost.tables.Warehouse;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.catalog.Hashes;
import tokencost.catalog.ReferenceMeasurement;
import tokencost.conf.TokencostConf;
import tokencost.engine.EngineSettings;
import tokencost.engine.Validation;
import tokencost.sweep.SweepJob;

/** Writes the engine's validation (in-sample and both held-out folds) to the Delta table engine_validation. */
public final class ValidationJob {
    public static final String JOB = "calibrate";
    public static final String TABLE = "engine_validation";
    static final List<String> TABLES = List.of(TABLE, RunLog.TABLE);
    /** |ln(predicted / measured)| of a row the engine could not predict (did not fit): a 1000x miss. */
    static final double NO_PREDICTION_LOG_ERROR = Math.log(1000);

    private ValidationJob() {}

    public record Run(LocalDate runDate, Warehouse warehouse, String runId, String confFile, String confHash,
                      String catalogHash, Map<String, List<Validation.Row>> foldsByKind) {

        /**
         * The validation the conf and catalogs describe, computed before Spark starts (pure engine work): every
         * reference row in-sample, held out by vendor and held out by regime. Same run id as the sweep of the
         * same conf and date.
         */
        public static Run of(TokencostConf conf, Catalog catalog, CatalogSource source, LocalDate runDate, Warehouse warehouse) {
            List<ReferenceMeasurement> rows = ReferenceMeasurement.load(source, catalog);
            return of(rows, conf, catalog, source, runDate, warehouse);
        }

        public static Run of(List<ReferenceMeasurement> rows, TokencostConf conf, Catalog catalog, CatalogSource source,
                             LocalDate runDate, Warehouse warehouse) {
            EngineSettings cfg = conf.engineSettings();
            Map<String, List<Validation.Row>> folds = new LinkedHashMap<>();
            folds.put(IN_SAMPLE, Validation.predictAll(rows, catalog, cfg, IN_SAMPLE));
            folds.put(BY_VENDOR, Validation.crossValidate(rows, catalog, cfg, ReferenceMeasurement::vendor, "vendor"));
            folds.put(BY_REGIME, Validation.crossValidate(rows, catalog, cfg, ReferenceMeasurement::regime, "regime"));
            String confHash = Hashes.of(conf.outputCanonical());
            String catalogHash = Hashes.catalog(source);
            return new Run(runDate, warehouse, SweepJob.runId(runDate, confHash, catalogHash), conf.origin(), confHash, catalogHash, folds);
        }
    }

    public static final String IN_SAMPLE = "in-sample";
    public static final String BY_VENDOR = "leave-one-vendor-out";
    public static final String BY_REGIME = "leave-one-regime-out";

    public static long run(SparkSession spark, Run run, PrintStream out) {
        DeltaTables tables = new DeltaTables(spark, run.warehouse(), TABLES);
        tables.ensureAll();
        long total = run.foldsByKind().values().stream().mapToLong(List::size).sum();
        var id = new AuditedRun.Identity(run.runId(), run.runDate(), JOB, run.confFile(), run.confHash(), run.catalogHash());
        Map<String, Long> rows = AuditedRun.run(tables, id, total, out, (written, stages) -> {
            RowMapper<Keyed> mapper = mapper(run.runId(), run.runDate());
            List<Row> out2 = new ArrayList<>();
            run.foldsByKind().forEach((kind, list) -> list.forEach(r -> out2.add(mapper.toRow(new Keyed(kind, r)))));
            tables.replaceRun(TABLE, run.runId(), spark.createDataFrame(out2, tables.contract(TABLE).sparkSchema()));
            written.put(TABLE, (long) out2.size());
        });
        out.printf("%s %s succeeded: %s -> %s%n", JOB, run.runId(), rows, tables.path(TABLE));
        return rows.get(TABLE);
    }

    private record Keyed(String kind, Validation.Row row) {}

    private static RowMapper<Keyed> mapper(String runId, LocalDate runDate) {
        Date date = Date.valueOf(runDate);
        return RowMapper.<Keyed>forTable(TableContract.load(TABLE))
                .col("run_id", k -> runId).col("row_id", k -> k.row().measured().rowId()).col("fold", k -> k.row().fold())
                .col("fold_kind", Keyed::kind).col("run_date", k -> date)
                .col("source", k -> k.row().measured().source()).col("vendor", k -> k.row().measured().vendor())
                .col("model", k -> k.row().measured().model()).col("hardware", k -> k.row().measured().hardware())
                .col("devices", k -> k.row().measured().devices())
                .col("weight_precision", k -> k.row().measured().weightPrecision())
                .col("runtime", k -> k.row().measured().runtime())
                .col("input_tokens", k -> k.row().measured().inputTokens())
                .col("output_tokens", k -> k.row().measured().outputTokens())
                .col("batch", k -> k.row().measured().maxBatch() ? null : k.row().measured().batch())
                .col("regime", k -> k.row().measured().regime()).col("metric", k -> k.row().measured().metric())
                .col("measured", k -> k.row().measured().value()).col("predicted", k -> k.row().predicted())
                .col("error", k -> k.row().error())
                .col("abs_log_error", k -> k.row().predicted() > 0
                        ? Math.abs(Math.log(k.row().predicted() / k.row().measured().value())) : NO_PREDICTION_LOG_ERROR)
                .col("bound", k -> k.row().estimate().bound().label()).build();
    }
}
