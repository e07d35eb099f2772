package tokencost.engine;

import tokencost.catalog.AttentionKind;
import tokencost.catalog.Model;

/** Sizes that follow from a model's architecture and the chosen precisions. Pure functions. */
public final class ModelMath {
    private ModelMath() {}

    public static final double BITS_PER_BYTE = 8.0;

    /** Parameters of the embedding matrices (input embedding and LM head; one matrix when tied). */
    public static double embeddingParams(Model m) {
        return (double) m.vocabSize() * m.hiddenSize() * (m.tiedEmbeddings() ? 1 : 2);
    }

    /** Parameters in matmuls per token: the active parameters less the input-embedding lookup (a gather, not a matmul). */
    public static double matmulParamsPerToken(Model m) {
        double lookup = m.tiedEmbeddings() ? 0 : (double) m.vocabSize() * m.hiddenSize();
        return m.paramsActive() - lookup;
    }

    /**
     * Bytes of all resident weights. Quantization applies to the transformer blocks; embeddings and the
     * LM head stay at the baseline precision, as AWQ, TensorRT-LLM and vLLM leave them by default.
     */
    public static double weightBytes(Model m, OptimizationStack s) {
        double emb = embeddingParams(m);
        return (m.paramsTotal() - emb) * s.effectiveWeightBits() / BITS_PER_BYTE + emb * s.baselineBits() / BITS_PER_BYTE;
    }

    /** Forward-pass matmul FLOPs per token (2 per matmul parameter): what serving one token costs, sweep and lifecycle alike. */
    public static double flopsPerToken(Model m) {
        return 2.0 * matmulParamsPerToken(m);
    }

    /** Parameters of one routed expert summed over layers: (total - active) / (experts - active experts). */
    public static double paramsPerExpert(Model m) {
        if (!m.isMoe()) return 0;
        return (m.paramsTotal() - m.paramsActive()) / (m.moeExpertsTotal() - m.moeExpertsActive());
    }

    /**
     * Weight bytes a forward pass over {@code tokens} tokens reads. For MoE, routed experts are touched with
     * probability 1 - (1 - k/E)^tokens each (uniform routing), so small batches read few experts.
     * The LM head is read in full; the input embedding only row by row (negligible).
     */
    public static double weightBytesTouched(Model m, OptimizationStack s, double tokens) {
        double all = weightBytes(m, s);
        double lookup = m.tiedEmbeddings() ? 0 : (double) m.vocabSize() * m.hiddenSize() * s.baselineBits() / BITS_PER_BYTE;
        double read = all - lookup;
        if (!m.isMoe()) return read;
        double expertBytes = paramsPerExpert(m) * s.effectiveWeightBits() / BITS_PER_BYTE;
        double e = m.moeExpertsTotal();
        double touchedFraction = 1.0 - Math.pow(1.0 - m.moeExpertsActive() / e, Math.max(tokens, 1.0));
        double untouched = (1.0 - touchedFraction) * e * expertBytes;
        return read - untouched;
    }

    /** KV-cache elements stored per token per layer: K and V per KV head, or MLA's single latent. */
    public static double kvElementsPerTokenPerLayer(Model m) {
        if (m.attentionKind() == AttentionKind.MLA) return m.kvLoraRank() + m.qkRopeHeadDim();
        return 2.0 * m.kvHeads() * m.headDim();
    }

    /** KV-cache bytes per token across all layers (no sliding window applied). */
    public static double kvBytesPerToken(Model m, double kvBits) {
        return m.layers() * kvElementsPerTokenPerLayer(m) * kvBits / BITS_PER_BYTE;
    }

    /** Tokens of KV actually stored for a context, layer-averaged: windowed layers keep at most the window. */
    public static double kvTokensStored(Model m, double context) {
        if (m.slidingWindowTokens() <= 0) return context;
        double f = m.slidingWindowLayerFraction();
        return (1 - f) * context + f * Math.min(context, m.slidingWindowTokens());
    }

    /** KV bytes one request holds at a given context. */
    public static double kvBytesForContext(Model m, double kvBits, double context) {
        return kvBytesPerToken(m, kvBits) * kvTokensStored(m, context);
    }

    /** Query-key dimension per head: MLA adds the decoupled RoPE part to the no-position part. */
    public static double qkHeadDim(Model m) {
        return m.attentionKind() == AttentionKind.MLA ? m.headDim() + m.qkRopeHeadDim() : m.headDim();
    }

    /** Attention FLOPs per layer for one query attending to one context position: 2·heads·(d_qk + d_v). */
    public static double attentionFlopsPerQueryKey(Model m) {
        return 2.0 * m.attentionHeads() * (qkHeadDim(m) + m.headDim());
    }

    /**
     * Sum over the {@code newTokens} new tokens of the (layer-averaged) context each attends to, given
     * {@code prior} tokens already in context: causal, with sliding windows capping the windowed layers.
     */
    public static double attendedPositions(Model m, double prior, double newTokens) {
        double full = newTokens * prior + newTokens * (newTokens + 1) / 2.0;
        if (m.slidingWindowTokens() <= 0) return full;
        double w = m.slidingWindowTokens();
        // sum_{i=1..n} min(p + i, w)
        double n = newTokens, p = prior;
        double windowed;
        if (p >= w) {
            windowed = n * w;
        } else {
            double below = Math.min(n, w - p); // tokens whose context is still under the window
            windowed = below * p + below * (below + 1) / 2.0 + (n - below) * w;
        }
        double f = m.slidingWindowLayerFraction();
        return (1 - f) * full + f * windowed;
    }
}
