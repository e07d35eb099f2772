package tokencost.lifecycle;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import tokencost.catalog.Scenario;
import tokencost.engine.ScenarioResolver;
import tokencost.sweep.SweepJob;
import tokencost.sweep.SweepRows;
import tokencost.tables.DeltaTables;
import tokencost.tables.RunLog;
import tokencost.tables.Warehouse;

/**
 * Serving taken from a sweep: per scenario, the cheapest SLO-meeting configuration of its model x serving hardware
 * x workload in inference_frontier. The sweep run is the one with the lifecycle's run id (the sweep of the same
 * conf and date, as in {@code bin/tokencost run}), else the latest succeeded sweep. A scenario no sweep covers
 * keeps its own replica; the crossover table records which source each scenario used.
 */
final class FrontierServing {
    private FrontierServing() {}

    static LifecycleJob.Run resolve(SparkSession spark, LifecycleJob.Run run, PrintStream out) {
        Warehouse w = run.warehouse();
        DeltaTables sweepTables = new DeltaTables(spark, w, List.of(SweepRows.FRONTIER, RunLog.TABLE));
        String sweepRun = sweepRun(sweepTables, run.runId());
        if (sweepRun == null) {
            out.println("lifecycle: no succeeded sweep run in " + w.root() + ": every scenario is served by its own replica");
            return run;
        }
        Map<String, Row> best = new HashMap<>();
        if (sweepTables.exists(SweepRows.FRONTIER)) {
            sweepTables.read(SweepRows.FRONTIER).createOrReplaceTempView("tokencost_frontier_for_lifecycle");
            // cheapest SLO-meeting configuration per model x hardware x workload (ties: fewer devices)
            for (Row r : spark.sql("SELECT model, hardware, workload, optimization_stack, best_devices, best_batch,"
                    + " best_output_tok_s_per_device FROM (SELECT *, row_number() OVER (PARTITION BY model, hardware, workload"
                    + " ORDER BY best_cost_usd_per_mtok_blended, best_devices, optimization_stack) AS rank"
                    + " FROM tokencost_frontier_for_lifecycle WHERE run_id = '" + sweepRun + "' AND meets_slo) WHERE rank = 1")
                    .collectAsList()) {
                best.put(key(r.getString(0), r.getString(1), r.getString(2)), r);
            }
        }
        List<ScenarioResolver.Baseline> baselines = new ArrayList<>();
        for (ScenarioResolver.Baseline b : run.baselines()) {
            Scenario s = b.scenario();
            Row r = best.get(key(s.modelId(), s.servingHardwareId(), s.workloadId()));
            if (r == null) {
                out.printf("lifecycle: sweep %s has no SLO-meeting %s x %s x %s: scenario %s keeps its own replica%n", sweepRun,
                        s.modelId(), s.servingHardwareId(), s.workloadId(), s.id());
                baselines.add(b);
            } else {
                baselines.add(ScenarioResolver.fromFrontier(s, run.catalog(), sweepRun, r.getString(3), r.getInt(4), r.getInt(5),
                        r.getDouble(6)));
            }
        }
        return LifecycleJob.withBaselines(run, baselines);
    }

    /** The sweep run whose frontier serves: the same run id when that sweep succeeded, else the latest succeeded. */
    static String sweepRun(DeltaTables tables, String runId) {
        if (!tables.exists(RunLog.TABLE)) return null;
        List<Row> rows = tables.read(RunLog.TABLE).where("job = '" + SweepJob.JOB + "' AND status = 'succeeded'")
                .selectExpr("run_id", "run_id = '" + runId + "' AS same", "run_date", "ended_at")
                .orderBy(org.apache.spark.sql.functions.col("same").desc(), org.apache.spark.sql.functions.col("run_date").desc(),
                        org.apache.spark.sql.functions.col("ended_at").desc())
                .limit(1).collectAsList();
        return rows.isEmpty() ? null : rows.get(0).getString(0);
    }

    private static String key(String model, String hardware, String workload) {
        return model + "\u0000" + hardware + "\u0000" + workload;
    }
}
