package tokencost.engine;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The engine's answer for one configuration. Performance and cost fields are null when the
 * configuration does not fit in memory (there is nothing to measure), never NaN. {@link #verdict}
 * is the compact why; {@link #reason()} spells it out with the numbers. The fields come in named groups, each built
 * once per cell; the flat accessors below (model(), ttftMs(), ...) are what tables and callers read.
 */
public record Estimate(Config config, MemoryUse memory, Performance performance, Cost cost, Energy energy, Slo slo,
                       Verdict verdict) implements java.io.Serializable {

    /** What was estimated: the replica, the request shape, the levers, the batch and how it was chosen. */
    public record Config(String model, String hardware, int devices, int tensorParallel, int pipelineParallel,
                         String workload, String optimizationStack, int batch, String batchChoice,
                         String computePrecision) implements java.io.Serializable {
        Config withBatchChoice(String choice) {
            return new Config(model, hardware, devices, tensorParallel, pipelineParallel, workload, optimizationStack, batch,
                    choice, computePrecision);
        }
    }

    /** Where the bytes go, per replica and per device, and whether the batch fits. */
    public record MemoryUse(boolean fits, double weightsGb, double weightsGbPerDevice, double kvBytesPerToken,
                            double kvGbPerRequest, double kvReservedGbPerRequestPerDevice, int maxBatch, Integer minDevices,
                            double memoryUsedGbPerDevice, double memoryUsableGbPerDevice) implements java.io.Serializable {}

    /**
     * Latency, throughput and what limits them, unboxed (one cell is built millions of times a second). For a
     * configuration that does not run they are NaN here ({@link #NONE}); the flat accessors of {@link Estimate}
     * return null for them, so NaN never reaches a caller or a table.
     */
    public record Performance(double ttftMs, double tpotMs, double outputTokS, double outputTokSPerDevice, Bound bound,
                              double mfu, double bandwidthUtilization, Double acceptedTokensPerStep)
            implements java.io.Serializable {
        /** A configuration that does not run: nothing to measure. */
        public static final Performance NONE = new Performance(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Bound.CAPACITY,
                Double.NaN, Double.NaN, null);
    }

    /** How the devices are paid for and what that makes a token cost (unboxed; NaN in {@link #NONE}, as above). */
    public record Cost(String pricing, double costUsdPerHour, double costUsdPerMtokIn, double costUsdPerMtokOut)
            implements java.io.Serializable {
        public static final Cost NONE = new Cost(null, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Joules per token at the wall (PUE included): all tokens, input and output (unboxed; NaN in {@link #NONE}). */
    public record Energy(double energyJPerTok, double energyJPerTokIn, double energyJPerTokOut) implements java.io.Serializable {
        public static final Energy NONE = new Energy(Double.NaN, Double.NaN, Double.NaN);
    }

    /** The workload's latency targets and whether they are met (null: the workload has none). */
    public record Slo(Boolean sloMet, Double ttftSloMs, Double tpotSloMs) implements java.io.Serializable {}

    // Flat accessors: the names the tables, JSON and callers use.
    public String model() { return config.model(); }
    public String hardware() { return config.hardware(); }
    public int devices() { return config.devices(); }
    public int tensorParallel() { return config.tensorParallel(); }
    public int pipelineParallel() { return config.pipelineParallel(); }
    public String workload() { return config.workload(); }
    public String optimizationStack() { return config.optimizationStack(); }
    public int batch() { return config.batch(); }
    public String batchChoice() { return config.batchChoice(); }
    public String computePrecision() { return config.computePrecision(); }
    public boolean fits() { return memory.fits(); }
    public double weightsGb() { return memory.weightsGb(); }
    public double weightsGbPerDevice() { return memory.weightsGbPerDevice(); }
    public double kvBytesPerToken() { return memory.kvBytesPerToken(); }
    public double kvGbPerRequest() { return memory.kvGbPerRequest(); }
    public double kvReservedGbPerRequestPerDevice() { return memory.kvReservedGbPerRequestPerDevice(); }
    public int maxBatch() { return memory.maxBatch(); }
    public Integer minDevices() { return memory.minDevices(); }
    public double memoryUsedGbPerDevice() { return memory.memoryUsedGbPerDevice(); }
    public double memoryUsableGbPerDevice() { return memory.memoryUsableGbPerDevice(); }
    public Double ttftMs() { return fits() ? performance.ttftMs() : null; }
    public Double tpotMs() { return fits() ? performance.tpotMs() : null; }
    public Double outputTokS() { return fits() ? performance.outputTokS() : null; }
    public Double outputTokSPerDevice() { return fits() ? performance.outputTokSPerDevice() : null; }
    public Bound bound() { return performance.bound(); }
    public Double mfu() { return fits() ? performance.mfu() : null; }
    public Double bandwidthUtilization() { return fits() ? performance.bandwidthUtilization() : null; }
    public Double acceptedTokensPerStep() { return performance.acceptedTokensPerStep(); }
    public String pricing() { return cost.pricing(); }
    public Double costUsdPerHour() { return fits() ? cost.costUsdPerHour() : null; }
    public Double costUsdPerMtokIn() { return fits() ? cost.costUsdPerMtokIn() : null; }
    public Double costUsdPerMtokOut() { return fits() ? cost.costUsdPerMtokOut() : null; }
    public Double energyJPerTok() { return fits() ? energy.energyJPerTok() : null; }
    public Double energyJPerTokIn() { return fits() ? energy.energyJPerTokIn() : null; }
    public Double energyJPerTokOut() { return fits() ? energy.energyJPerTokOut() : null; }
    public Boolean sloMet() { return slo.sloMet(); }
    public Double ttftSloMs() { return slo.ttftSloMs(); }
    public Double tpotSloMs() { return slo.tpotSloMs(); }

    /** Why the configuration does not fit or misses its SLO, with the numbers; empty when it is fine. */
    public String reason() {
        return switch (verdict) {
            case OK, NO_SLO -> "";
            case SLO_TTFT -> String.format(Locale.ROOT, "TTFT %.0f ms > SLO %.0f ms", ttftMs(), ttftSloMs());
            case SLO_TPOT -> String.format(Locale.ROOT, "TPOT %.1f ms > SLO %.1f ms", tpotMs(), tpotSloMs());
            case SLO_BOTH -> String.format(Locale.ROOT, "TTFT %.0f ms > SLO %.0f ms; TPOT %.1f ms > SLO %.1f ms",
                    ttftMs(), ttftSloMs(), tpotMs(), tpotSloMs());
            case NO_FIT_WEIGHTS -> String.format(Locale.ROOT, "does not fit: weights need %.1f GB per device, only %.1f GB usable on %d x %s%s",
                    weightsGbPerDevice(), memoryUsableGbPerDevice(), devices(), hardware(), needs());
            case NO_FIT_KV -> String.format(Locale.ROOT, "does not fit: one request needs %.2f GB of KV cache per device, %.2f GB left after weights%s",
                    kvReservedGbPerRequestPerDevice(), Math.max(0, memoryUsableGbPerDevice() - memoryUsedGbPerDevice()
                            + batch() * kvReservedGbPerRequestPerDevice()), needs());
            case NO_FIT_BATCH -> String.format(Locale.ROOT, "does not fit: batch %d exceeds the maximum batch %d (KV cache %.2f GB per request per device)",
                    batch(), maxBatch(), kvReservedGbPerRequestPerDevice());
            case INVALID_DEVICES -> "device count " + devices() + " is not valid for " + hardware() + " serving " + model()
                    + ": a replica is up to one node or whole nodes, with no more pipeline stages (nodes) than the model has layers";
            case NO_FIT_CONTEXT -> "does not fit: the prompt and output of " + workload() + " exceed " + model() + "'s context window";
        };
    }

    private String needs() {
        return minDevices() != null ? "; needs at least " + minDevices() + " " + hardware() + " devices"
                : "; does not fit on any count of " + hardware();
    }

    /** The estimate as ordered (snake_case key, value) pairs: the JSON and table layout. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model());
        m.put("hardware", hardware());
        m.put("devices", devices());
        m.put("tensor_parallel", tensorParallel());
        m.put("pipeline_parallel", pipelineParallel());
        m.put("workload", workload());
        m.put("optimization_stack", optimizationStack());
        m.put("batch", batch());
        m.put("batch_choice", batchChoice());
        m.put("compute_precision", computePrecision());
        m.put("fits", fits());
        m.put("weights_gb", weightsGb());
        m.put("weights_gb_per_device", weightsGbPerDevice());
        m.put("kv_bytes_per_token", kvBytesPerToken());
        m.put("kv_gb_per_request", kvGbPerRequest());
        m.put("max_batch", maxBatch());
        m.put("min_devices", minDevices());
        m.put("memory_used_gb_per_device", memoryUsedGbPerDevice());
        m.put("memory_usable_gb_per_device", memoryUsableGbPerDevice());
        m.put("ttft_ms", ttftMs());
        m.put("tpot_ms", tpotMs());
        m.put("output_tok_s", outputTokS());
        m.put("output_tok_s_per_device", outputTokSPerDevice());
        m.put("bound", bound().label());
        m.put("mfu", mfu());
        m.put("bandwidth_utilization", bandwidthUtilization());
        m.put("pricing", pricing());
        m.put("cost_usd_per_hour", costUsdPerHour());
        m.put("cost_usd_per_mtok_in", costUsdPerMtokIn());
        m.put("cost_usd_per_mtok_out", costUsdPerMtokOut());
        m.put("energy_j_per_tok", energyJPerTok());
        m.put("energy_j_per_tok_in", energyJPerTokIn());
        m.put("energy_j_per_tok_out", energyJPerTokOut());
        m.put("accepted_tokens_per_step", acceptedTokensPerStep());
        m.put("slo_met", sloMet());
        m.put("reason", reason());
        return m;
    }

    Estimate withBatchChoice(String choice) {
        return new Estimate(config.withBatchChoice(choice), memory, performance, cost, energy, slo, verdict);
    }

    /** Whether the cell is usable: it fits and meets the SLO (or the workload has none). */
    public boolean meetsSlo() {
        return fits() && !Boolean.FALSE.equals(sloMet());
    }

    /** USD per million tokens of the workload's input/output mix (null when it does not fit). */
    public Double costUsdPerMtokBlended(int inputTokens, int outputTokens) {
        return fits() ? blendedCostUsdPerMtok(inputTokens, outputTokens) : null;
    }

    /** Blended cost of one request of the workload's shape, USD (null when it does not fit). */
    public Double costUsdPerRequest(int inputTokens, int outputTokens) {
        return fits() ? requestCostUsd(inputTokens, outputTokens) : null;
    }

    /** {@link #costUsdPerMtokBlended} of a cell that {@link #fits()}, unboxed. */
    public double blendedCostUsdPerMtok(int inputTokens, int outputTokens) {
        return requestCostUsd(inputTokens, outputTokens) / (inputTokens + outputTokens) * 1e6;
    }

    /** {@link #costUsdPerRequest} of a cell that {@link #fits()}, unboxed (NaN otherwise). */
    public double requestCostUsd(int inputTokens, int outputTokens) {
        return (cost.costUsdPerMtokIn() * inputTokens + cost.costUsdPerMtokOut() * outputTokens) / 1e6;
    }
}
