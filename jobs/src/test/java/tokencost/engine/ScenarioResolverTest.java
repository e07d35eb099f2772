package tokencost.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.TestCatalogs;
import tokencost.catalog.CatalogSource;
import tokencost.catalog.InvalidInputException;
import tokencost.catalog.Problem;
import tokencost.catalog.Quantity;
import tokencost.catalog.Scenario;
import tokencost.catalog.Workload;

/** Scenarios: loading with clear errors, resolution into lifecycle inputs, distributions. */
class ScenarioResolverTest {
    static final String HEADER = "scenario_id,description,model_id,workload_id,serving_hardware_id,serving_devices,serving_optimizations,"
            + "training_hardware_id,training_devices,training_months,training_overhead_fraction,horizon_months,initial_tokens_per_day,"
            + "monthly_growth,price_elasticity,margin,hardware_cost_decline_per_year,software_gain_per_year,utilization,"
            + "fleet_ownership,device_lifetime_months,pue,electricity_usd_per_kwh,model_lifetime_months,next_generation_compute_ratio,"
            + "source,notes\n";
    static final String GOOD = "s405,Llama 405B chat,llama-3.1-405b,chat,h200-sxm,8,fp8+continuous-batching+flash-attention+paged-kv,"
            + "h100-sxm,16384,2,0.0,36,1e11,triangular(0.02;0.05;0.08),0.5,0.3,0.25,uniform(0.1;0.3),0.6,"
            + "rent,60,1.2,0.1,36,0,test,\n";

    @TempDir
    Path dir;

    private Path datasets(String rows) throws Exception {
        Path d = TestCatalogs.copyDatasets(dir.resolve("datasets"));
        Files.writeString(d.resolve("scenarios.csv"), HEADER + rows);
        return d;
    }

    @Test
    void resolvesTrainingAndServingFromTheEngines() throws Exception {
        var cat = TestCatalogs.real();
        Map<String, Scenario> all = Scenario.load(CatalogSource.directory(datasets(GOOD)), cat);
        Scenario s = all.get("s405");
        EngineSettings cfg = TestCatalogs.settings();
        ScenarioResolver.Baseline b = ScenarioResolver.baseline(s, cat, cfg);
        LifecycleInputs in = ScenarioResolver.inputs(b, cat, cfg, null);
        assertEquals(3.8e25, in.training().flop(), 1e20, "the published compute, no overhead");
        // 2 FLOP per matmul parameter: 405B less the input-embedding lookup (128,256 x 16,384, a gather), as the sweep
        assertEquals(2 * (405e9 - 128_256.0 * 16_384), in.serving().inferenceFlopPerToken(), 1);
        assertEquals(0.05, in.demand().monthlyGrowth(), 0.0, "deterministic runs use the mode");
        assertEquals(0.2, in.serving().softwareGainPerYear(), 1e-12, "and the midpoint");
        // the scenario's replica at the cheapest SLO-meeting batch; cost per token at the scenario's 60% load
        Estimate e = BatchChooser.best(cat.model("llama-3.1-405b"), cat.hardware("h200-sxm"), 8, cat.workload("chat"),
                StackParser.parse("fp8,continuous-batching,flash-attention,paged-kv", cat), cfg);
        assertEquals(8, b.devicesPerReplica());
        assertTrue(b.servingSource().startsWith("scenario replica: 8 x h200-sxm"), b.servingSource());
        assertEquals(e.costUsdPerMtokBlended(cat.workload("chat").inputTokens(), cat.workload("chat").outputTokens()) / 0.6, in.serving().initialCostUsdPerMtok(), 1e-9 * in.serving().initialCostUsdPerMtok());
        assertEquals(e.energyJPerTok() / cfg.pue() * 1.2, in.serving().initialEnergyJPerTok(), 1e-9 * in.serving().initialEnergyJPerTok(), "the scenario's PUE");
        assertEquals(7.912, in.fleet().opexUsdPerDeviceHour(), 1e-12, "rented: opex is the hourly price");
        LifecycleInputs draw = ScenarioResolver.inputs(b, cat, cfg, new Random(1));
        assertNotEquals(0.05, draw.demand().monthlyGrowth());
        assertTrue(draw.demand().monthlyGrowth() >= 0.02 && draw.demand().monthlyGrowth() <= 0.08);
        LifecycleEngine.Result r = LifecycleEngine.run(in);
        assertTrue(r.crossoverComputeMonth() != null, "405B serving 1e11 tokens/day overtakes its training compute within 3 years");
    }

    @Test
    void theShippedScenariosLoadAndResolve() {
        var cat = TestCatalogs.real();
        Map<String, Scenario> all = Scenario.load(CatalogSource.directory(TestCatalogs.datasets()), cat);
        assertTrue(all.size() >= 5, all.keySet().toString());
        for (Scenario s : all.values()) {
            ScenarioResolver.Baseline b = ScenarioResolver.baseline(s, cat, TestCatalogs.settings());
            LifecycleEngine.Result r = LifecycleEngine.run(ScenarioResolver.inputs(b, cat, TestCatalogs.settings(), null));
            assertEquals(s.horizonMonths() + s.trainingMonths(), r.months().size(), s.id());
            for (LifecycleEngine.Month m : r.months()) {
                assertTrue(Double.isFinite(m.cumInferenceCostUsd()) && Double.isFinite(m.devices()) && m.tokens() >= 0, s.id());
            }
        }
    }

    @Test
    void lifecycleComputePerTokenIsTheSweepsForEveryModel() {
        var cat = TestCatalogs.real();
        EngineSettings cfg = TestCatalogs.settings();
        // the lifecycle charges each served token ModelMath.flopsPerToken ...
        for (Scenario s : Scenario.load(CatalogSource.directory(TestCatalogs.datasets()), cat).values()) {
            var inputs = ScenarioResolver.inputs(ScenarioResolver.baseline(s, cat, cfg), cat, cfg, null);
            assertEquals(ModelMath.flopsPerToken(cat.model(s.modelId())), inputs.serving().inferenceFlopPerToken(), s.id());
        }
        // ... which is what the sweep's engine computes per token, for every model (attention is negligible at 3 tokens)
        OptimizationStack stack = StackParser.parse("continuous-batching,flash-attention,paged-kv", cat);
        var hw = cat.hardware("b200");
        Workload w = Workload.custom(1, 2);
        for (var m : cat.models().values()) {
            int devices = InferenceEngine.minDevices(m, hw, w, stack, cfg);
            Estimate e = InferenceEngine.estimate(m, hw, devices, w, stack, 1, cfg);
            double cycleS = 2.0 / e.outputTokS();
            double sweep = e.mfu() * cycleS * hw.peakFlops(tokencost.catalog.ComputePrecision.BF16) * devices / 3.0;
            assertEquals(ModelMath.flopsPerToken(m), sweep, 0.01 * sweep, m.id() + ": FLOP per token, lifecycle vs sweep");
        }
    }

    @Test
    void triangularDrawsAreSymmetricAroundTheMode() {
        Quantity q = Quantity.parse("triangular(0.02;0.05;0.08)");
        Random r = new Random(42);
        double[] xs = new double[20_001];
        for (int i = 0; i < xs.length; i++) xs[i] = q.sample(r);
        java.util.Arrays.sort(xs);
        assertEquals(0.05, xs[xs.length / 2], 0.002, "median of a symmetric triangular = its mode");
        assertTrue(xs[0] >= 0.02 && xs[xs.length - 1] <= 0.08);
        assertEquals(Quantity.parse("lognormal(3;0.5)").central(), 3.0);
    }

    @Test
    void badScenariosGetTheCatalogErrors() throws Exception {
        String bad = GOOD.replace("s405,", "s1,").replace("llama-3.1-405b", "llama-9")
                + GOOD.replace("s405,", "s2,").replace("triangular(0.02;0.05;0.08)", "triangular(0.08;0.05;0.02)")
                + GOOD.replace("s405,", "s3,").replace(",0.6,rent", ",1.5,rent")
                + GOOD.replace("s405,", "s4,").replace("uniform(0.1;0.3)", "normal(0.2;0.1)");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Scenario.load(CatalogSource.directory(datasets(bad)), TestCatalogs.real()));
        List<Problem> ps = e.problems();
        assertEquals(4, ps.size(), ps.toString());
        assertTrue(ps.stream().anyMatch(p -> p.line() == 2 && p.field().equals("model_id") && p.reason().contains("unknown model 'llama-9'")), ps.toString());
        assertTrue(ps.stream().anyMatch(p -> p.line() == 3 && p.field().equals("monthly_growth") && p.reason().contains("min <= mode <= max")), ps.toString());
        assertTrue(ps.stream().anyMatch(p -> p.line() == 4 && p.field().equals("utilization") && p.reason().contains("out of range")), ps.toString());
        assertTrue(ps.stream().anyMatch(p -> p.line() == 5 && p.reason().contains("unknown distribution 'normal'")), ps.toString());
    }

    @Test
    void fleetColumnsAreChecked() throws Exception {
        String bad = GOOD.replace("s405,", "s1,").replace(",rent,60,1.2,", ",own,60,1.2,") // h200 has no purchase price
                + GOOD.replace("s405,", "s2,").replace(",1.2,0.1,36,0,", ",0.9,0.1,36,0,")
                + GOOD.replace("s405,", "s3,").replace(",1.2,0.1,36,0,", ",1.2,0.1,40,0,")
                + GOOD.replace("s405,", "s4,").replace(",1.2,0.1,36,0,", ",1.2,0.1,1,2,")
                + GOOD.replace("s405,", "s5,").replace(",rent,", ",lease,");
        List<Problem> ps = assertThrows(InvalidInputException.class,
                () -> Scenario.load(CatalogSource.directory(datasets(bad)), TestCatalogs.real())).problems();
        assertTrue(ps.stream().anyMatch(p -> p.line() == 2 && p.field().equals("fleet_ownership") && p.reason().contains("purchase_usd")), ps.toString());
        assertTrue(ps.stream().anyMatch(p -> p.line() == 3 && p.field().equals("pue") && p.reason().contains("out of range")), ps.toString());
        assertTrue(ps.stream().anyMatch(p -> p.line() == 4 && p.field().equals("model_lifetime_months") && p.reason().contains("horizon")), ps.toString());
        assertTrue(ps.stream().anyMatch(p -> p.line() == 5 && p.field().equals("model_lifetime_months") && p.reason().contains("training_months")), ps.toString());
        assertTrue(ps.stream().anyMatch(p -> p.line() == 6 && p.field().equals("fleet_ownership")), ps.toString());
    }

    @Test
    void aRentedFleetCostsWhatItsTokensCost() throws Exception {
        var cat = TestCatalogs.real();
        Scenario s = Scenario.load(CatalogSource.directory(datasets(GOOD)), cat).get("s405");
        LifecycleInputs in = ScenarioResolver.inputs(ScenarioResolver.baseline(s, cat, TestCatalogs.settings()), cat,
                TestCatalogs.settings(), null);
        for (LifecycleEngine.Month m : LifecycleEngine.run(in).months()) {
            if (m.month() < 1) continue;
            // whole replicas: the fleet costs at least what its tokens cost, and at most one replica more
            assertTrue(m.opexUsd() >= m.inferenceCostUsd() * (1 - 1e-9), m.toString());
            assertTrue(m.opexUsd() <= m.inferenceCostUsd() * m.devices() / (m.devices() - 8) + 1e-6, m.toString());
            assertEquals(0, m.capexUsd(), 0.0);
        }
    }

    @Test
    void aServingReplicaThatCannotServeIsRefusedWithTheReason() throws Exception {
        String tooSmall = GOOD.replace("h200-sxm,8,", "h200-sxm,1,").replace("fp8+", "bf16+");
        Scenario s = Scenario.load(CatalogSource.directory(datasets(tooSmall)), TestCatalogs.real()).get("s405");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ScenarioResolver.baseline(s, TestCatalogs.real(), TestCatalogs.settings()));
        assertEquals(2, e.problems().get(0).line());
        assertTrue(e.problems().get(0).reason().contains("does not fit"), e.getMessage());
    }
}
