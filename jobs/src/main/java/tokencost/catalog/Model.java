package tokencost.catalog;

import org.apache.avro.generic.GenericRecord;

/** One LLM architecture, as published. Sizes in parameters, tokens and elements; no bytes (bytes depend on precision). */
public record Model(
        String id, String displayName, String family, int releaseYear,
        double paramsTotalB, double paramsActiveB,
        int layers, int hiddenSize, int attentionHeads, int kvHeads, int headDim, int ffnSize,
        int vocabSize, boolean tiedEmbeddings, int contextTokens, AttentionKind attentionKind,
        int kvLoraRank, int qkRopeHeadDim,
        int moeExpertsTotal, int moeExpertsActive, int moeExpertsShared,
        int slidingWindowTokens, double slidingWindowLayerFraction,
        Double trainingTokensT, Double trainingComputeFlop, String source) implements java.io.Serializable {

    static Model from(GenericRecord r) {
        return new Model(
                Fields.str(r, "model_id"), Fields.str(r, "display_name"), Fields.str(r, "family"), Fields.i(r, "release_year"),
                Fields.d(r, "params_total_b"), Fields.d(r, "params_active_b"),
                Fields.i(r, "layers"), Fields.i(r, "hidden_size"), Fields.i(r, "attention_heads"), Fields.i(r, "kv_heads"),
                Fields.i(r, "head_dim"), Fields.i(r, "ffn_size"), Fields.i(r, "vocab_size"), Fields.b(r, "tied_embeddings"),
                Fields.i(r, "context_tokens"), AttentionKind.valueOf(Fields.str(r, "attention_kind")),
                Fields.i(r, "kv_lora_rank"), Fields.i(r, "qk_rope_head_dim"),
                Fields.i(r, "moe_experts_total"), Fields.i(r, "moe_experts_active"), Fields.i(r, "moe_experts_shared"),
                Fields.i(r, "sliding_window_tokens"), Fields.d(r, "sliding_window_layer_fraction"),
                Fields.optD(r, "training_tokens_t"), Fields.optD(r, "training_compute_flop"), Fields.str(r, "source"));
    }

    public double paramsTotal() {
        return paramsTotalB * 1e9;
    }

    public double paramsActive() {
        return paramsActiveB * 1e9;
    }

    /** The same architecture run past its trained context (as some published benchmarks did). */
    public Model withContextTokens(int tokens) {
        return new Model(id, displayName, family, releaseYear, paramsTotalB, paramsActiveB, layers, hiddenSize, attentionHeads,
                kvHeads, headDim, ffnSize, vocabSize, tiedEmbeddings, tokens, attentionKind, kvLoraRank, qkRopeHeadDim,
                moeExpertsTotal, moeExpertsActive, moeExpertsShared, slidingWindowTokens, slidingWindowLayerFraction,
                trainingTokensT, trainingComputeFlop, source);
    }

    public boolean isMoe() {
        return moeExpertsTotal > 0;
    }
}
