package tokencost.engine;

/**
 * Tunables the engine reads (not physical facts: those are in the catalogs). Declared, documented
 * and defaulted once in {@code tokencost.conf.TokencostConf}; this record is just their values.
 *
 * @param memoryUsableFraction   share of device memory the serving runtime may use (weights + KV + workspace)
 * @param maxBatch               largest batch (concurrent sequences) the runtime schedules
 * @param maxPrefillTokens       tokens per prefill iteration; longer prompt batches are processed in chunks
 * @param collectiveLatencyUs    fixed latency of one all-reduce / pipeline hop, microseconds
 * @param pricing                RENT (hourly price), OWN (capex amortised + energy) or AUTO (rent when a price exists)
 * @param amortizationYears      years over which owned hardware is written off
 * @param electricityUsdPerKwh   electricity price for owned hardware
 * @param pue                    data-centre power usage effectiveness (facility / IT power)
 * @param powerFractionOfTdp     average draw while serving as a fraction of TDP
 * @param utilization            fraction of paid time a replica does useful work
 * @param trainingMfu            model FLOPs utilisation of a training run
 */
public record EngineSettings(
        double memoryUsableFraction, int maxBatch, int maxPrefillTokens, double collectiveLatencyUs,
        Pricing pricing, double amortizationYears, double electricityUsdPerKwh, double pue,
        double powerFractionOfTdp, double utilization, double trainingMfu) implements java.io.Serializable {

    public enum Pricing {
        AUTO, RENT, OWN;

        private final String label = name().toLowerCase(java.util.Locale.ROOT);

        /** The name as tables and JSON write it ("rent"); made once, not per cell. */
        public String label() {
            return label;
        }
    }

    public EngineSettings withPricing(Pricing p) {
        return new EngineSettings(memoryUsableFraction, maxBatch, maxPrefillTokens, collectiveLatencyUs, p,
                amortizationYears, electricityUsdPerKwh, pue, powerFractionOfTdp, utilization, trainingMfu);
    }

    /** How a scenario's own fleet is paid for and powered. */
    public EngineSettings withFleet(Pricing p, double amortizationYears, double electricityUsdPerKwh, double pue) {
        return new EngineSettings(memoryUsableFraction, maxBatch, maxPrefillTokens, collectiveLatencyUs, p,
                amortizationYears, electricityUsdPerKwh, pue, powerFractionOfTdp, utilization, trainingMfu);
    }

    /** The scheduler's tokens per iteration as a benchmark set it (vLLM {@code --max-num-batched-tokens}, ...). */
    public EngineSettings withMaxPrefillTokens(int tokens) {
        return new EngineSettings(memoryUsableFraction, maxBatch, tokens, collectiveLatencyUs, pricing,
                amortizationYears, electricityUsdPerKwh, pue, powerFractionOfTdp, utilization, trainingMfu);
    }

    public EngineSettings withTrainingMfu(double mfu) {
        return new EngineSettings(memoryUsableFraction, maxBatch, maxPrefillTokens, collectiveLatencyUs, pricing,
                amortizationYears, electricityUsdPerKwh, pue, powerFractionOfTdp, utilization, mfu);
    }
}
