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
 * Turns a scenario into the lifecycle model's inputs. Serving is a throughput per device: the scenario's own
 * replica at the cheapest batch meeting the workload's SLO (inference engine), or the best configuration a sweep
 * found ({@link #fromFrontier}). Cost and energy per token follow from that throughput and the scenario's fleet
 * (own or rent, PUE, electricity, utilisation), so the fleet's spend equals tokens x cost per token. Training is
 * 6·N·D or the published compute at the conf MFU, plus the experiments overhead. Uncertain inputs take their
 * central value, or a draw.
 */
public final class ScenarioResolver {

    private ScenarioResolver() {}

    /**
     * What serves the scenario: devices per replica and tokens (input + output) per second per device at full
     * load, and where that came from.
     */
    public record Baseline(Scenario scenario, int devicesPerReplica, double tokPerSecPerDevice, String servingSource)
            implements java.io.Serializable {}

    /** The scenario's own replica and stack, at the cheapest batch that meets the workload's SLO. */
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
        if (!InferenceEngine.validDevices(m, serving, s.servingDevices())) {
            throw new InvalidInputException(List.of(new Problem(s.file(), s.line(), "serving_devices",
                    s.servingDevices() + " devices cannot form a " + serving.id() + " replica")));
        }
        Estimate e = BatchChooser.best(m, serving, s.servingDevices(), w, stack, cfg);
        if (!e.meetsSlo()) {
            throw new InvalidInputException(List.of(new Problem(s.file(), s.line(), "serving_devices",
                    "the serving replica cannot serve " + w.id() + ": " + e.reason())));
        }
        return new Baseline(s, s.servingDevices(), e.outputTokSPerDevice() * tokensPerOutputToken(w),
                "scenario replica: " + s.servingDevices() + " x " + serving.id() + ", " + stack.id() + ", batch " + e.batch());
    }

    /** The best configuration of a sweep run's frontier, given by its output tokens per second per device. */
    public static Baseline fromFrontier(Scenario s, Catalog catalog, String runId, String stackId, int devices, int batch,
                                        double outputTokPerSecPerDevice) {
        Workload w = catalog.workload(s.workloadId());
        return new Baseline(s, devices, outputTokPerSecPerDevice * tokensPerOutputToken(w),
                "frontier of sweep " + runId + ": " + devices + " x " + s.servingHardwareId() + ", " + stackId + ", batch " + batch);
    }

    private static double tokensPerOutputToken(Workload w) {
        return (double) (w.inputTokens() + w.outputTokens()) / w.outputTokens();
    }

    /** The conf's engine settings with the scenario's (drawn) fleet: ownership, write-off, electricity, PUE. */
    static EngineSettings fleetSettings(Scenario s, EngineSettings cfg, double pue, double electricityUsdPerKwh) {
        return cfg.withFleet(s.ownsFleet() ? EngineSettings.Pricing.OWN : EngineSettings.Pricing.RENT,
                s.deviceLifetimeMonths() / Units.MONTHS_PER_YEAR, electricityUsdPerKwh, pue);
    }

    /** The lifecycle inputs of one draw ({@code random} null = the deterministic, central run). */
    public static LifecycleInputs inputs(Baseline b, Catalog catalog, EngineSettings cfg, Random random) {
        Scenario s = b.scenario();
        Model m = catalog.model(s.modelId());
        Hardware serving = catalog.hardware(s.servingHardwareId());
        // draw order is fixed (appending keeps earlier draws reproducible)
        double tokensPerDay = value(s.initialTokensPerDay(), random);
        double growth = value(s.monthlyGrowth(), random);
        double elasticity = value(s.priceElasticity(), random);
        double margin = value(s.margin(), random);
        double hardwareDecline = value(s.hardwareCostDeclinePerYear(), random);
        double softwareGain = value(s.softwareGainPerYear(), random);
        double utilization = value(s.utilization(), random);
        double pue = value(s.pue(), random);
        double electricity = value(s.electricityUsdPerKwh(), random);
        double nextGeneration = value(s.nextGenerationComputeRatio(), random);

        EngineSettings fleet = fleetSettings(s, cfg, pue, electricity);
        TrainingEstimate t = TrainingEngine.estimate(m, catalog.hardware(s.trainingHardwareId()), s.trainingDevices(), null, fleet);
        double overhead = 1 + s.trainingOverheadFraction();
        double usdPerDeviceHour = InferenceEngine.usdPerDeviceHour(serving, fleet);
        double costUsdPerMtok = usdPerDeviceHour / (Units.SECONDS_PER_HOUR * b.tokPerSecPerDevice() * utilization) * Units.TOKENS_PER_MTOK;
        double devicePowerW = InferenceEngine.wallWattsPerDevice(serving, fleet.powerFractionOfTdp(), 1.0); // IT power; PUE apart
        double energyJPerTok = InferenceEngine.wallWattsPerDevice(serving, fleet.powerFractionOfTdp(), pue) / b.tokPerSecPerDevice();
        double opexUsdPerDeviceHour = s.ownsFleet() ? InferenceEngine.electricityUsdPerDeviceHour(serving, fleet) : usdPerDeviceHour;
        return new LifecycleInputs(s.horizonMonths(),
                new LifecycleInputs.Training(s.trainingMonths(), t.trainingFlop() * overhead, t.costUsd() * overhead,
                        t.energyMwh() * overhead),
                new LifecycleInputs.Generations(s.modelLifetimeMonths(), nextGeneration),
                new LifecycleInputs.Demand(tokensPerDay, growth, elasticity, margin),
                new LifecycleInputs.Serving(ModelMath.flopsPerToken(m), costUsdPerMtok, energyJPerTok, b.tokPerSecPerDevice(),
                        hardwareDecline, softwareGain),
                new LifecycleInputs.Fleet(utilization, b.devicesPerReplica(), devicePowerW, pue, s.ownsFleet(),
                        s.ownsFleet() ? serving.purchaseUsd() : 0, s.deviceLifetimeMonths(), opexUsdPerDeviceHour));
    }

    private static double value(Quantity q, Random r) {
        return r == null ? q.central() : q.sample(r);
    }
}
