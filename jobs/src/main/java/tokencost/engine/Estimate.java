package tokencost.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's answer for one configuration. Performance and cost fields are null when the
 * configuration does not fit in memory (there is nothing to measure), never NaN.
 */
public record Estimate(
        String model, String hardware, int devices, int tensorParallel, int pipelineParallel,
        String workload, String optimizationStack, int batch, String batchChoice,
        String computePrecision, boolean fits,
        double weightsGb, double weightsGbPerDevice, double kvBytesPerToken, double kvGbPerRequest,
        int maxBatch, int minDevices, double memoryUsedGbPerDevice, double memoryUsableGbPerDevice,
        Double ttftMs, Double tpotMs, Double outputTokS, Double outputTokSPerDevice,
        String bound, Double mfu, Double bandwidthUtilization,
        String pricing, Double costUsdPerHour, Double costUsdPerMtokIn, Double costUsdPerMtokOut,
        Double energyJPerTok, Double energyJPerTokIn, Double energyJPerTokOut,
        Double acceptedTokensPerStep, Boolean sloMet, String reason) {

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
        m.put("reason", reason);
        return m;
    }

    Estimate withBatchChoice(String choice) {
        return new Estimate(model, hardware, devices, tensorParallel, pipelineParallel, workload, optimizationStack, batch,
                choice, computePrecision, fits, weightsGb, weightsGbPerDevice, kvBytesPerToken, kvGbPerRequest, maxBatch,
                minDevices, memoryUsedGbPerDevice, memoryUsableGbPerDevice, ttftMs, tpotMs, outputTokS, outputTokSPerDevice,
                bound, mfu, bandwidthUtilization, pricing, costUsdPerHour, costUsdPerMtokIn, costUsdPerMtokOut,
                energyJPerTok, energyJPerTokIn, energyJPerTokOut, acceptedTokensPerStep, sloMet, reason);
    }

    /** Blended cost of one request of the workload's shape, USD (null when it does not fit). */
    public Double costUsdPerRequest(int inputTokens, int outputTokens) {
        if (costUsdPerMtokIn == null) return null;
        return (costUsdPerMtokIn * inputTokens + costUsdPerMtokOut * outputTokens) / 1e6;
    }
}
