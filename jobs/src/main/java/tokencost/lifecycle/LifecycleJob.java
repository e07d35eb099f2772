package tokencost.lifecycle;

import java.io.PrintStream;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import tokencost.catalog.Catalog;
import tokencost.catalog.Scenario;
import tokencost.engine.EngineSettings;
import tokencost.engine.LifecycleEngine;
import tokencost.engine.ScenarioResolver;
import tokencost.tables.AuditedRun;
import tokencost.tables.DeltaTables;
import tokencost.tables.RunLog;
import tokencost.tables.Warehouse;

/**
 * Inference versus training, per scenario: the deterministic run and Monte Carlo draws computed in parallel in
 * Spark (scenario x draw per element), reduced to P10/P50/P90 per month with Spark SQL, written to Delta.
 */
public final class LifecycleJob {
    public static final String JOB = "lifecycle";
    public static final String CURVES = "lifecycle_curves";
    public static final String CROSSOVER = "crossover";
    public static final String FLEET = "fleet_forecast";
    public static final List<String> TABLES = List.of(CURVES, CROSSOVER, FLEET, RunLog.TABLE);
    static final String DETERMINISTIC = "deterministic";

    /** The curve metrics, in contract order; each gets its own percentile. */
    static final List<String> CURVE_METRICS = List.of("tokens", "cost_usd_per_mtok", "price_usd_per_mtok", "spend_usd",
            "inference_flop", "cum_inference_flop", "training_flop", "cum_training_flop", "inference_cost_usd",
            "cum_inference_cost_usd", "training_cost_usd", "cum_training_cost_usd", "inference_energy_mwh",
            "cum_inference_energy_mwh", "cum_training_energy_mwh", "devices", "devices_purchased", "capex_usd", "opex_usd",
            "power_mw");
    static final List<String> CROSSOVER_METRICS = List.of("crossover_compute_month", "crossover_cost_month", "crossover_energy_month",
            "lifetime_inference_to_training_flop", "lifetime_inference_to_training_cost", "lifetime_inference_to_training_energy",
            "spend_growth", "unit_cost_change", "elasticity_spend_turns_up");

    public record Run(List<ScenarioResolver.Baseline> baselines, Catalog catalog, EngineSettings settings, int draws, long seed,
                      boolean servingFromFrontier, LocalDate runDate, Warehouse warehouse, String runId, String confFile,
                      String confHash, String catalogHash) implements java.io.Serializable {

        /**
         * The run the conf describes: its scenarios resolved and validated (before Spark starts), the same run id
         * and hashes as the sweep of the same conf and date.
         */
        public static Run of(tokencost.conf.TokencostConf conf, Catalog catalog, tokencost.catalog.CatalogSource source,
                             LocalDate runDate, Warehouse warehouse) {
            var baselines = LifecyclePlan.baselines(conf, catalog, Scenario.load(source, catalog));
            String confHash = tokencost.catalog.Hashes.of(conf.outputCanonical());
            String catalogHash = tokencost.catalog.Hashes.catalog(source);
            return new Run(baselines, catalog, conf.engineSettings(), conf.integer(tokencost.conf.TokencostConf.LIFECYCLE_DRAWS),
                    conf.integer(tokencost.conf.TokencostConf.LIFECYCLE_SEED),
                    conf.string(tokencost.conf.TokencostConf.LIFECYCLE_SERVING_FROM).equals("frontier"), runDate, warehouse,
                    tokencost.sweep.SweepJob.runId(runDate, confHash, catalogHash), conf.origin(), confHash, catalogHash);
        }
    }

    /** The same run served by other baselines (the frontier's). */
    static Run withBaselines(Run r, List<ScenarioResolver.Baseline> b) {
        return new Run(b, r.catalog(), r.settings(), r.draws(), r.seed(), r.servingFromFrontier(), r.runDate(), r.warehouse(),
                r.runId(), r.confFile(), r.confHash(), r.catalogHash());
    }

    private LifecycleJob() {}

    /**
     * The seed of one draw: reproducible, and independent of how Spark splits the work. Scrambled (SplitMix64's
     * finaliser) because java.util.Random's first outputs are nearly equal for nearby seeds.
     */
    static long drawSeed(long seed, int scenario, int draw) {
        long z = seed * 1_000_003L + scenario * 10_007L + draw + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One draw of one scenario (draw 0 = deterministic). */
    static LifecycleEngine.Result simulate(Run run, int scenario, int draw) {
        Random r = draw == 0 ? null : new Random(drawSeed(run.seed(), scenario, draw));
        return LifecycleEngine.run(ScenarioResolver.inputs(run.baselines().get(scenario), run.catalog(), run.settings(), r));
    }

    public static Map<String, Long> run(SparkSession spark, Run planned, PrintStream out) {
        out.printf("lifecycle %s: %d scenarios x (1 + %d draws)%n", planned.runId(), planned.baselines().size(), planned.draws());
        DeltaTables tables = new DeltaTables(spark, planned.warehouse(), TABLES);
        tables.ensureAll();
        Run run = planned.servingFromFrontier() ? FrontierServing.resolve(spark, planned, out) : planned;
        long simulations = (long) run.baselines().size() * (run.draws() + 1);
        var id = new AuditedRun.Identity(run.runId(), run.runDate(), JOB, run.confFile(), run.confHash(), run.catalogHash());
        Map<String, Long> rows = AuditedRun.run(tables, id, simulations, out, (written, stages) -> {
            Dataset<Row> months = draws(spark, run, true).persist(org.apache.spark.storage.StorageLevel.DISK_ONLY());
            Dataset<Row> results = draws(spark, run, false);
            months.createOrReplaceTempView("tokencost_lifecycle_months");
            results.createOrReplaceTempView("tokencost_lifecycle_results");
            Date date = Date.valueOf(run.runDate());
            String stats = percentiles(CURVE_METRICS, "scenario, month, model", "tokencost_lifecycle_months", "", "");
            Dataset<Row> curves = spark.sql(stats).withColumn("run_id", org.apache.spark.sql.functions.lit(run.runId()))
                    .withColumn("run_date", org.apache.spark.sql.functions.lit(date));
            tables.replaceRun(CURVES, run.runId(), curves);
            written.put(CURVES, tables.read(CURVES).where("run_id = '" + run.runId() + "'").count());

            String crossed = "CASE WHEN crossover_compute_month IS NULL THEN 0D ELSE 1D END";
            String crossStats = percentiles(CROSSOVER_METRICS, "scenario, model, serving_source", "tokencost_lifecycle_results",
                    ", " + crossed + " AS share_of_draws_crossing_compute", ", avg(" + crossed + ") AS share_of_draws_crossing_compute");
            Dataset<Row> cross = spark.sql(crossStats).withColumn("run_id", org.apache.spark.sql.functions.lit(run.runId()))
                    .withColumn("run_date", org.apache.spark.sql.functions.lit(date));
            tables.replaceRun(CROSSOVER, run.runId(), cross);
            written.put(CROSSOVER, tables.read(CROSSOVER).where("run_id = '" + run.runId() + "'").count());

            List<Row> fleet = fleet(run, date);
            tables.replaceRun(FLEET, run.runId(), spark.createDataFrame(fleet, tables.contract(FLEET).sparkSchema()));
            written.put(FLEET, (long) fleet.size());
            months.unpersist();
        });
        out.printf("lifecycle %s succeeded: %s%n", run.runId(), rows);
        return rows;
    }

    /**
     * The deterministic row (draw 0) and, per column, P10/P50/P90 over draws 1..n, one query:
     * rows with statistic 'deterministic', 'p10', 'p50', 'p90'.
     */
    static String percentiles(List<String> metrics, String keys, String view, String extraDeterministic, String extraAggregate) {
        StringBuilder det = new StringBuilder("SELECT " + keys + ", '" + DETERMINISTIC + "' AS statistic" + extraDeterministic);
        for (String m : metrics) det.append(", ").append(m);
        det.append(" FROM ").append(view).append(" WHERE draw = 0");
        StringBuilder sb = new StringBuilder(det);
        String[] names = {"p10", "p50", "p90"};
        double[] qs = {0.1, 0.5, 0.9};
        for (int i = 0; i < 3; i++) {
            sb.append(" UNION ALL SELECT ").append(keys).append(", '").append(names[i]).append("' AS statistic").append(extraAggregate);
            for (String m : metrics) sb.append(", percentile(").append(m).append(", ").append(qs[i]).append(") AS ").append(m);
            sb.append(" FROM ").append(view).append(" WHERE draw > 0 GROUP BY ").append(keys);
        }
        return "SELECT * FROM (" + sb + ")";
    }

    /** Per (scenario, draw) element: month rows, or one result row. */
    private static Dataset<Row> draws(SparkSession spark, Run run, boolean monthRows) {
        int perScenario = run.draws() + 1;
        long total = (long) run.baselines().size() * perScenario;
        StructType schema = new StructType().add("scenario", DataTypes.StringType).add("draw", DataTypes.IntegerType)
                .add("model", DataTypes.StringType);
        schema = monthRows ? schema.add("month", DataTypes.IntegerType) : schema.add("serving_source", DataTypes.StringType);
        for (String m : monthRows ? CURVE_METRICS : CROSSOVER_METRICS) schema = schema.add(m, DataTypes.DoubleType, true);
        int partitions = (int) Math.max(1, Math.min(total, 4L * spark.sparkContext().defaultParallelism()));
        MapPartitionsFunction<Long, Row> f = it -> {
            List<Row> out = new ArrayList<>();
            while (it.hasNext()) {
                long i = it.next();
                int s = (int) (i / perScenario);
                int d = (int) (i % perScenario);
                ScenarioResolver.Baseline b = run.baselines().get(s);
                LifecycleEngine.Result r = simulate(run, s, d);
                String id = b.scenario().id();
                String model = b.scenario().modelId();
                if (monthRows) {
                    for (LifecycleEngine.Month m : r.months()) {
                        out.add(RowFactory.create(id, d, model, m.month(), m.tokens(), m.costUsdPerMtok(), m.priceUsdPerMtok(),
                                m.spendUsd(), m.inferenceFlop(), m.cumInferenceFlop(), m.trainingFlop(), m.cumTrainingFlop(),
                                m.inferenceCostUsd(), m.cumInferenceCostUsd(), m.trainingCostUsd(), m.cumTrainingCostUsd(),
                                m.inferenceEnergyMwh(), m.cumInferenceEnergyMwh(), m.cumTrainingEnergyMwh(), m.devices(),
                                m.devicesPurchased(), m.capexUsd(), m.opexUsd(), m.powerMw()));
                    }
                } else {
                    out.add(RowFactory.create(id, d, model, b.servingSource(), month(r.crossoverComputeMonth()), month(r.crossoverCostMonth()),
                            month(r.crossoverEnergyMonth()), r.lifetimeInferenceToTrainingFlop(), r.lifetimeInferenceToTrainingCost(),
                            r.lifetimeInferenceToTrainingEnergy(), r.spendGrowth(), r.unitCostChange(), r.elasticityWhereSpendTurnsUp()));
                }
            }
            return out.iterator();
        };
        return spark.range(0, total, 1, partitions).mapPartitions(f, Encoders.row(schema));
    }

    private static Double month(Integer m) {
        return m == null ? null : m.doubleValue();
    }

    /** The deterministic fleet per month: devices in whole replicas, purchases and their capex, opex, power. */
    static List<Row> fleet(Run run, Date date) {
        List<Row> out = new ArrayList<>();
        for (int s = 0; s < run.baselines().size(); s++) {
            Scenario sc = run.baselines().get(s).scenario();
            for (LifecycleEngine.Month m : simulate(run, s, 0).months()) {
                if (m.month() < 1) continue;
                out.add(RowFactory.create(run.runId(), sc.id(), m.month(), sc.servingHardwareId(), date, m.devices(), m.generation(),
                        sc.ownsFleet() ? "own" : "rent", m.devicesPurchased(), m.capexUsd(), m.opexUsd(), m.powerMw()));
            }
        }
        return out;
    }
}
