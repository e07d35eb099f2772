package tokencost.engine;

import java.util.List;
import java.util.Random;
import tokencost.catalog.Catalog;
import tokencost.catalog.Hardware;
import tokencost.catalog.InvalidInputException;
import tokencost.catalog.Model;
import tokencost.catalog.Problem;
import tokencost.catalog.Quantity;
import tokencost.catalog.Scenario;
import tokencost.catalog.Workload;

/**
 * Turns a scenario into the lifecycle model's inputs: training from the training engine (6·N·D or the
 * published compute, plus the experiments overhead), serving from the inference engine (the cheapest batch
 * meeting the workload's SLO on the scenario's replica). Uncertain inputs take their central value, or a draw.
 */
public final class ScenarioResolver {
    private ScenarioResolver() {}

    /** What serving and training cost at the start: the same for every draw of a scenario. */
    public record Baseline(Scenario scenario, Estimate serving, TrainingEstimate training) implements java.io.Serializable {}

    public static Baseline baseline(Scenario s, Catalog catalog, EngineSettings cfg) {
        Model m = catalog.model(s.modelId());
        Workload w = catalog.workload(s.workloadId());
        Hardware serving = catalog.hardware(s.servingHardwareId());
        OptimizationStack stack;
        try {
            stack = StackParser.parse(s.servingOptimizations().replace('+', ','), catalog);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(List.of(new Problem(s.file(), s.line(), "serving_optimizations", e.getMessage())));
        }
        if (!InferenceEngine.validDevices(serving, s.servingDevices())) {
            throw new InvalidInputException(List.of(new Problem(s.file(), s.line(), "serving_devices",
                    s.servingDevices() + " devices cannot form a " + serving.id() + " replica")));
        }
        Estimate e = BatchChooser.best(m, serving, s.servingDevices(), w, stack, cfg);
        if (!e.meetsSlo()) {
            throw new InvalidInputException(List.of(new Problem(s.file(), s.line(), "serving_devices",
                    "the serving replica cannot serve " + w.id() + ": " + e.reason())));
        }
        TrainingEstimate t = TrainingEngine.estimate(m, catalog.hardware(s.trainingHardwareId()), s.trainingDevices(), null, cfg);
        return new Baseline(s, e, t);
    }

    /** The lifecycle inputs of one draw ({@code random} null = the deterministic, central run). */
    public static LifecycleInputs inputs(Baseline b, Catalog catalog, EngineSettings cfg, Random random) {
        Scenario s = b.scenario();
        Model m = catalog.model(s.modelId());
        Workload w = catalog.workload(s.workloadId());
        Hardware serving = catalog.hardware(s.servingHardwareId());
        double overhead = 1 + s.trainingOverheadFraction();
        Estimate e = b.serving();
        double tokensPerOutput = (double) (w.inputTokens() + w.outputTokens()) / w.outputTokens();
        return new LifecycleInputs(s.horizonMonths(), s.trainingMonths(),
                b.training().trainingFlop() * overhead, b.training().costUsd() * overhead, b.training().energyMwh() * overhead,
                2 * m.paramsActive(), value(s.initialTokensPerDay(), random), value(s.monthlyGrowth(), random),
                value(s.priceElasticity(), random), value(s.margin(), random),
                e.costUsdPerMtokBlended(w.inputTokens(), w.outputTokens()), e.energyJPerTok(),
                e.outputTokSPerDevice() * tokensPerOutput,
                value(s.hardwareCostDeclinePerYear(), random), value(s.softwareGainPerYear(), random),
                value(s.utilization(), random), serving.powerW() * cfg.powerFractionOfTdp(), cfg.pue());
    }

    private static double value(Quantity q, Random r) {
        return r == null ? q.central() : q.sample(r);
    }
}
