package tokencost.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;
import tokencost.TestCatalogs;
import tokencost.catalog.CatalogSource;
import tokencost.catalog.Scenario;
import tokencost.conf.TokencostConf;
import tokencost.engine.LifecycleEngine;
import tokencost.engine.ScenarioResolver;
import tokencost.tables.DeltaTables;
import tokencost.tables.RunLog;
import tokencost.tables.Warehouse;

/** The lifecycle job on two small scenarios, one with symmetric distributions, into real Delta tables. */
class LifecycleJobTest extends SparkTestBase {
    static final String HEADER = "scenario_id,description,model_id,workload_id,serving_hardware_id,serving_devices,serving_optimizations,"
            + "training_hardware_id,training_devices,training_months,training_overhead_fraction,horizon_months,initial_tokens_per_day,"
            + "monthly_growth,price_elasticity,margin,hardware_cost_decline_per_year,software_gain_per_year,utilization,"
            + "fleet_ownership,device_lifetime_months,pue,electricity_usd_per_kwh,model_lifetime_months,next_generation_compute_ratio,"
            + "source,notes\n";
    static final String ROWS = "fixed,test,llama-3.1-8b,chat,h100-sxm,1,fp8+continuous-batching+flash-attention+paged-kv,h100-sxm,1024,1,0.0,24,"
            + "1e10,0.05,1.2,0.3,0.25,0.2,0.6,rent,60,1.1,0.08,24,0,test,\n"
            + "symmetric,test,llama-3.1-8b,chat,h100-sxm,1,fp8+continuous-batching+flash-attention+paged-kv,h100-sxm,1024,1,0.0,24,"
            + "1e10,uniform(0.04;0.06),1.2,0.3,0.25,0.2,0.6,rent,60,1.1,0.08,24,0,test,\n";

    @TempDir
    static Path dir;
    static LifecycleJob.Run run;
    static DeltaTables tables;
    static Map<String, Long> rows;

    @BeforeAll
    static void runIt() throws Exception {
        Path datasets = TestCatalogs.copyDatasets(dir.resolve("datasets"));
        Files.writeString(datasets.resolve("scenarios.csv"), HEADER + ROWS);
        var cat = TestCatalogs.real();
        TokencostConf conf = TokencostConf.defaults().with(TokencostConf.LIFECYCLE_DRAWS, 100);
        var baselines = LifecyclePlan.baselines(conf, cat, Scenario.load(CatalogSource.directory(datasets), cat));
        Warehouse wh = Warehouse.at(dir.resolve("warehouse").toString(), dir);
        run = new LifecycleJob.Run(baselines, cat, conf.engineSettings(), 100, 7, false, LocalDate.of(2026, 11, 1), wh, "2026-11-01-test",
                "test.conf", "hash", "catalog");
        tables = new DeltaTables(spark(), wh, LifecycleJob.TABLES);
        rows = LifecycleJob.run(spark(), run, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void tablesHoldEveryMonthAndStatistic() {
        long months = 2 * (24 + 1); // one training month + 24 serving months per scenario
        assertEquals(months * 4, rows.get(LifecycleJob.CURVES));
        assertEquals(2 * 4, rows.get(LifecycleJob.CROSSOVER));
        assertEquals(2 * 24, rows.get(LifecycleJob.FLEET));
        assertEquals("succeeded", new RunLog(tables).get("2026-11-01-test", LifecycleJob.JOB).status());
    }

    @Test
    void deterministicRowsEqualTheEngine() {
        for (int s = 0; s < 2; s++) {
            ScenarioResolver.Baseline b = run.baselines().get(s);
            LifecycleEngine.Result r = LifecycleEngine.run(ScenarioResolver.inputs(b, run.catalog(), run.settings(), null));
            Row c = rows("SELECT * FROM delta.`%s` WHERE scenario = '%s' AND statistic = 'deterministic'",
                    tables.path(LifecycleJob.CROSSOVER), b.scenario().id()).get(0);
            assertEquals(r.crossoverComputeMonth() == null ? null : r.crossoverComputeMonth().doubleValue(), c.getAs("crossover_compute_month"));
            assertEquals(r.spendGrowth(), c.<Double>getAs("spend_growth"), 1e-12);
            LifecycleEngine.Month last = r.months().get(r.months().size() - 1);
            Row m = rows("SELECT * FROM delta.`%s` WHERE scenario = '%s' AND statistic = 'deterministic' AND month = %d",
                    tables.path(LifecycleJob.CURVES), b.scenario().id(), last.month()).get(0);
            assertEquals(last.cumInferenceFlop(), m.<Double>getAs("cum_inference_flop"), 1e-9 * last.cumInferenceFlop());
            assertEquals(last.devices(), m.<Double>getAs("devices"), 1e-9 * last.devices());
        }
    }

    @Test
    void percentilesAreOrderedAndTheMedianOfSymmetricInputsIsNearTheDeterministicRun() {
        List<Row> r = rows("SELECT statistic, cum_inference_flop, spend_usd FROM delta.`%s` WHERE scenario = 'symmetric' AND month = 24",
                tables.path(LifecycleJob.CURVES));
        Map<String, Row> by = new java.util.HashMap<>();
        r.forEach(x -> by.put(x.getString(0), x));
        double p10 = by.get("p10").getDouble(1), p50 = by.get("p50").getDouble(1), p90 = by.get("p90").getDouble(1);
        assertTrue(p10 < p50 && p50 < p90, p10 + " " + p50 + " " + p90);
        double det = by.get("deterministic").getDouble(1);
        // One symmetric input and an output monotone in it: the output's median is the output at the input's
        // median, up to sampling error of 100 draws.
        assertEquals(det, p50, 0.05 * det, "P50 close to the deterministic run for symmetric inputs");
        List<Row> fixed = rows("SELECT DISTINCT cum_inference_flop FROM delta.`%s` WHERE scenario = 'fixed' AND month = 24",
                tables.path(LifecycleJob.CURVES));
        assertEquals(1, fixed.size(), "without distributions every statistic equals the deterministic run");
    }

    @Test
    void monteCarloWithAFixedSeedIsReproducible() {
        List<Row> before = rows("SELECT scenario, month, statistic, cum_inference_cost_usd FROM delta.`%s` WHERE statistic <> 'deterministic'",
                tables.path(LifecycleJob.CURVES));
        LifecycleJob.run(spark(), run, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        List<Row> after = rows("SELECT scenario, month, statistic, cum_inference_cost_usd FROM delta.`%s` WHERE statistic <> 'deterministic'",
                tables.path(LifecycleJob.CURVES));
        assertRowSetsEqual(before, after, 0.0);
    }

    @Test
    void servingComesFromTheFrontierOfTheSweepRun() throws Exception {
        // a small sweep of the 'fixed' scenario's slice into its own warehouse, then the lifecycle reading it
        Path f = dir.resolve("frontier.conf");
        Files.writeString(f, "tokencost.sweep {\n models = [llama-3.1-8b]\n hardware = [h100-sxm]\n workloads = [chat]\n"
                + " devices = [1, 2]\n batches = [16, 64, 256]\n stack-levers = [fp8, continuous-batching, flash-attention, paged-kv]\n}\n");
        TokencostConf conf = TokencostConf.load(f);
        Warehouse wh = Warehouse.at(dir.resolve("frontier-warehouse").toString(), dir);
        LocalDate day = LocalDate.of(2026, 11, 2);
        var sweep = tokencost.sweep.SweepJob.Run.of(tokencost.sweep.SweepPlan.from(conf, run.catalog()), day, wh, conf,
                CatalogSource.directory(TestCatalogs.datasets()));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        tokencost.sweep.SweepJob.run(spark(), sweep, quiet);
        LifecycleJob.Run fromFrontier = new LifecycleJob.Run(run.baselines(), run.catalog(), run.settings(), 0, 7, true, day, wh,
                sweep.runId(), "test.conf", "hash", "catalog");
        LifecycleJob.run(spark(), fromFrontier, quiet);

        DeltaTables t = new DeltaTables(spark(), wh, List.of(LifecycleJob.CROSSOVER, tokencost.sweep.SweepRows.FRONTIER));
        Row best = rows("SELECT optimization_stack, best_devices, best_batch, best_output_tok_s_per_device FROM delta.`%s`"
                + " WHERE run_id = '%s' AND meets_slo ORDER BY best_cost_usd_per_mtok_blended, best_devices LIMIT 1",
                t.path(tokencost.sweep.SweepRows.FRONTIER), sweep.runId()).get(0);
        ScenarioResolver.Baseline expected = ScenarioResolver.fromFrontier(run.baselines().get(0).scenario(), run.catalog(),
                sweep.runId(), best.getString(0), best.getInt(1), best.getInt(2), best.getDouble(3));
        LifecycleEngine.Result r = LifecycleEngine.run(ScenarioResolver.inputs(expected, run.catalog(), run.settings(), null));
        Row c = rows("SELECT serving_source, lifetime_inference_to_training_cost FROM delta.`%s` WHERE scenario = 'fixed'"
                + " AND statistic = 'deterministic'", t.path(LifecycleJob.CROSSOVER)).get(0);
        assertEquals(expected.servingSource(), c.getString(0));
        assertTrue(c.getString(0).startsWith("frontier of sweep " + sweep.runId()), c.getString(0));
        assertEquals(r.lifetimeInferenceToTrainingCost(), c.getDouble(1), 1e-12 * c.getDouble(1));
    }

    @Test
    void withoutASweepEveryScenarioKeepsItsReplica() {
        List<Row> sources = rows("SELECT DISTINCT serving_source FROM delta.`%s`", tables.path(LifecycleJob.CROSSOVER));
        assertEquals(1, sources.size());
        assertTrue(sources.get(0).getString(0).startsWith("scenario replica: 1 x h100-sxm"), sources.toString());
    }
}
