package tokencost.engine;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The engine's answer for one configuration. Performance and cost fields are null when the
 * configuration does not fit in memory (there is nothing to measure), never NaN. {@link #verdict}
 * is the compact why; {@link #reason()} spells it out with the numbers.
 */
public record Estimate(
        String model, String hardware, int devices, int tensorParallel, int pipelineParallel,
        String workload, String optimizationStack, int batch, String batchChoice,
        String computePrecision, boolean fits,
        double weightsGb, double weightsGbPerDevice, double kvBytesPerToken, double kvGbPerRequest,
        double kvReservedGbPerRequestPerDevice, int maxBatch, Integer minDevices,
        double memoryUsedGbPerDevice, double memoryUsableGbPerDevice,
        Double ttftMs, Double tpotMs, Double outputTokS, Double outputTokSPerDevice,
        String bound, Double mfu, Double bandwidthUtilization,
        String pricing, Double costUsdPerHour, Double costUsdPerMtokIn, Double costUsdPerMtokOut,
        Double energyJPerTok, Double energyJPerTokIn, Double energyJPerTokOut,
        Double acceptedTokensPerStep, Boolean sloMet, Double ttftSloMs, Double tpotSloMs, Verdict verdict) implements java.io.Serializable {

    /** Why the configuration does not fit or misses its SLO, with the numbers; empty when it is fine. */
    public String reason() {
        return switch (verdict) {
            case OK, NO_SLO -> "";
            case SLO_TTFT -> String.format(Locale.ROOT, "TTFT %.0f ms > SLO %.0f ms", ttftMs, ttftSloMs);
            case SLO_TPOT -> String.format(Locale.ROOT, "TPOT %.1f ms > SLO %.1f ms", tpotMs, tpotSloMs);
            case SLO_BOTH -> String.format(Locale.ROOT, "TTFT %.0f ms > SLO %.0f ms; TPOT %.1f ms > SLO %.1f ms",
                    ttftMs, ttftSloMs, tpotMs, tpotSloMs);
            case NO_FIT_WEIGHTS -> String.format(Locale.ROOT, "does not fit: weights need %.1f GB per device, only %.1f GB usable on %d x %s%s",
                    weightsGbPerDevice, memoryUsableGbPerDevice, devices, hardware, needs());
            case NO_FIT_KV -> String.format(Locale.ROOT, "does not fit: one request needs %.2f GB of KV cache per device, %.2f GB left after weights%s",
                    kvReservedGbPerRequestPerDevice, Math.max(0, memoryUsableGbPerDevice - memoryUsedGbPerDevice
                            + batch * kvReservedGbPerRequestPerDevice), needs());
            case NO_FIT_BATCH -> String.format(Locale.ROOT, "does not fit: batch %d exceeds the maximum batch %d (KV cache %.2f GB per request per device)",
                    batch, maxBatch, kvReservedGbPerRequestPerDevice);
            case INVALID_DEVICES -> "device count " + devices + " is not valid for " + hardware + " serving " + model
                    + ": a replica is up to one node or whole nodes, with no more pipeline stages (nodes) than the model has layers";
            case NO_FIT_CONTEXT -> "does not fit: the prompt and output of " + workload + " exceed " + model + "'s context window";
        };
    }

    private String needs() {
        return minDevices != null ? "; needs at least " + minDevices + " " + hardware + " devices"
                : "; does not fit on any count of " + hardware;
    }

    /** The estimate as ordered (snake_case key, value) pairs: the JSON and table layout. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("hardware", hardware);
        m.put("devices", devices);
        m.put("tensor_parallel", tensorParallel);
        m.put("pipeline_parallel", pipelineParallel);
        m.put("workload", workload);
        m.put("optimization_stack", optimizationStack);
        m.put("batch", batch);
        m.put("batch_choice", batchChoice);
        m.put("compute_precision", computePrecision);
        m.put("fits", fits);
        m.put("weights_gb", weightsGb);
        m.put("weights_gb_per_device", weightsGbPerDevice);
        m.put("kv_bytes_per_token", kvBytesPerToken);
        m.put("kv_gb_per_request", kvGbPerRequest);
        m.put("max_batch", maxBatch);
        m.put("min_devices", minDevices);
        m.put("memory_used_gb_per_device", memoryUsedGbPerDevice);
        m.put("memory_usable_gb_per_device", memoryUsableGbPerDevice);
        m.put("ttft_ms", ttftMs);
        m.put("tpot_ms", tpotMs);
        m.put("output_tok_s", outputTokS);
        m.put("output_tok_s_per_device", outputTokSPerDevice);
        m.put("bound", bound);
        m.put("mfu", mfu);
        m.put("bandwidth_utilization", bandwidthUtilization);
        m.put("pricing", pricing);
        m.put("cost_usd_per_hour", costUsdPerHour);
        m.put("cost_usd_per_mtok_in", costUsdPerMtokIn);
        m.put("cost_usd_per_mtok_out", costUsdPerMtokOut);
        m.put("energy_j_per_tok", energyJPerTok);
        m.put("energy_j_per_tok_in", energyJPerTokIn);
        m.put("energy_j_per_tok_out", energyJPerTokOut);
        m.put("accepted_tokens_per_step", acceptedTokensPerStep);
        m.put("slo_met", sloMet);
        m.put("reason", reason());
        return m;
    }

    Estimate withBatchChoice(String choice) {
        return new Estimate(model, hardware, devices, tensorParallel, pipelineParallel, workload, optimizationStack, batch,
                choice, computePrecision, fits, weightsGb, weightsGbPerDevice, kvBytesPerToken, kvGbPerRequest,
                kvReservedGbPerRequestPerDevice, maxBatch, minDevices, memoryUsedGbPerDevice, memoryUsableGbPerDevice,
                ttftMs, tpotMs, outputTokS, outputTokSPerDevice, bound, mfu, bandwidthUtilization, pricing, costUsdPerHour,
                costUsdPerMtokIn, costUsdPerMtokOut, energyJPerTok, energyJPerTokIn, energyJPerTokOut, acceptedTokensPerStep,
                sloMet, ttftSloMs, tpotSloMs, verdict);
    }

    /** Whether the cell is usable: it fits and meets the SLO (or the workload has none). */
    public boolean meetsSlo() {
        return fits && !Boolean.FALSE.equals(sloMet);
    }

    /** USD per million tokens of the workload's input/output mix (null when it does not fit). */
    public Double costUsdPerMtokBlended(int inputTokens, int outputTokens) {
        Double perRequest = costUsdPerRequest(inputTokens, outputTokens);
        return perRequest == null ? null : perRequest / (inputTokens + outputTokens) * 1e6;
    }

    /** Blended cost of one request of the workload's shape, USD (null when it does not fit). */
    public Double costUsdPerRequest(int inputTokens, int outputTokens) {
        if (costUsdPerMtokIn == null) return null;
        return (costUsdPerMtokIn * inputTokens + costUsdPerMtokOut * outputTokens) / 1e6;
    }
}
