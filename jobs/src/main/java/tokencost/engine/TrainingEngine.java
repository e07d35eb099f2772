package tokencost.engine;

import tokencost.catalog.ComputePrecision;
import tokencost.catalog.Hardware;
import tokencost.catalog.Model;

/** Training compute (6·N·D, or the published figure), wall-clock time and cost. Pure functions. */
public final class TrainingEngine {
    private static final double FLOP_PER_PARAM_TOKEN = 6.0; // forward 2 + backward 4 (Kaplan et al. 2020)
    private static final double WH_PER_MWH = 1e6;

    private TrainingEngine() {}

    /** 6 × active parameters × tokens. */
    public static double sixND(Model m, double tokens) {
        return FLOP_PER_PARAM_TOKEN * m.paramsActive() * tokens;
    }

    /**
     * @param tokensOverrideT training tokens in trillions to use instead of the catalog's (null = catalog)
     */
    public static TrainingEstimate estimate(Model m, Hardware hw, int devices, Double tokensOverrideT, EngineSettings cfg) {
        if (devices < 1) throw new IllegalArgumentException("devices must be at least 1, got " + devices);
        Double tokensT = tokensOverrideT != null ? tokensOverrideT : m.trainingTokensT();
        double flop;
        String source;
        if (tokensOverrideT == null && m.trainingComputeFlop() != null) {
            flop = m.trainingComputeFlop();
            source = "published";
        } else if (tokensT != null) {
            flop = sixND(m, tokensT * 1e12);
            source = "6·N·D";
        } else {
            throw new IllegalArgumentException(m.id() + " has no published training tokens or compute: give --tokens (trillions)");
        }
        double deviceSeconds = flop / (hw.peakFlopsOf(ComputePrecision.BF16) * cfg.trainingMfu());
        double deviceHours = deviceSeconds / Units.SECONDS_PER_HOUR;
        double days = deviceHours / devices / Units.HOURS_PER_DAY;
        double cost = deviceHours * InferenceEngine.usdPerDeviceHour(hw, cfg);
        double energyMwh = deviceHours * InferenceEngine.wallWattsPerDevice(hw, cfg.powerFractionOfTdp(), cfg.pue()) / WH_PER_MWH;
        return new TrainingEstimate(m.id(), hw.id(), devices, tokensT == null ? 0 : tokensT, flop, source, cfg.trainingMfu(),
                deviceHours, days, cost, energyMwh);
    }
}
