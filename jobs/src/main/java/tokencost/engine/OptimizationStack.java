package tokencost.engine;

import java.util.List;
import tokencost.catalog.ComputePrecision;
import tokencost.catalog.ServingRuntime;

/**
 * A resolved set of software levers with the parameters that define their physics.
 * Built by {@link StackParser}; the engine reads only this record, never lever names.
 *
 * @param id                     canonical name: lever ids joined by '+', in catalog order
 * @param levers                 the lever ids (with overrides, e.g. speculative-decoding:k=4)
 * @param weightBits             bits per quantized weight
 * @param scaleBitsPerWeight     extra bits per weight for group scales/zero points (int4 groups)
 * @param baselineBits           bits of the 16-bit baseline (embeddings, activations stay at it)
 * @param computePrecision       the tensor format the lever wants (the hardware may not have it)
 * @param kvBits                 bits per KV-cache element
 * @param continuousBatching     iteration-level scheduling instead of request-level batches
 * @param staticSlotUtilization  useful fraction of batch slots under static batching
 * @param flashAttention         fused attention: no N x context score matrix in HBM
 * @param standardAttentionPasses HBM passes over the score matrix without it
 * @param pagedKv                paged KV allocation
 * @param kvUtilization          fraction of reserved KV memory holding tokens (paged or contiguous)
 * @param prefixCache            prompt prefix reuse
 * @param speculative            speculative decoding on
 * @param draftTokens            k, tokens drafted per step
 * @param acceptanceRate         alpha, per-token acceptance probability
 * @param draftLayers            draft model depth in target-model layers (EAGLE head ~ 1)
 * @param runtime                the serving runtime whose kernel efficiencies apply (per vendor; datasets/runtimes.csv)
 */
public record OptimizationStack(
        String id, List<String> levers,
        double weightBits, double scaleBitsPerWeight, double baselineBits, ComputePrecision computePrecision,
        double kvBits,
        boolean continuousBatching, double staticSlotUtilization,
        boolean flashAttention, double standardAttentionPasses,
        boolean pagedKv, double kvUtilization,
        boolean prefixCache,
        boolean speculative, int draftTokens, double acceptanceRate, double draftLayers,
        ServingRuntime runtime) implements java.io.Serializable {

    /** The same levers when every request of a static batch ends together (equal lengths: no idle slots). */
    public OptimizationStack withStaticSlotUtilization(double utilization) {
        return new OptimizationStack(id, levers, weightBits, scaleBitsPerWeight, baselineBits, computePrecision, kvBits,
                continuousBatching, utilization, flashAttention, standardAttentionPasses, pagedKv, kvUtilization,
                prefixCache, speculative, draftTokens, acceptanceRate, draftLayers, runtime);
    }

    /** Bits stored per quantized weight, group scales included. */
    public double effectiveWeightBits() {
        return weightBits + scaleBitsPerWeight;
    }

    /** Expected tokens emitted per target step: (1 - alpha^(k+1)) / (1 - alpha). */
    public double expectedTokensPerStep() {
        if (!speculative) return 1.0;
        return expectedAcceptedTokens(acceptanceRate, draftTokens);
    }

    public static double expectedAcceptedTokens(double alpha, int k) {
        if (alpha >= 1.0) return k + 1;
        return (1.0 - Math.pow(alpha, k + 1)) / (1.0 - alpha);
    }
}
