package tokencost.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tokencost.TestCatalogs;
import tokencost.catalog.Catalog;
import tokencost.catalog.Model;

/** Hand-computed sizes from published configs. */
class ModelMathTest {
    private final Catalog catalog = TestCatalogs.real();
    private final EngineSettings cfg = TestCatalogs.settings();

    private OptimizationStack stack(String spec) {
        return StackParser.parse(spec, catalog);
    }

    @Test
    void kvBytesPerTokenGqa() {
        // 2 (K,V) x 80 layers x 8 KV heads x 128 head_dim x 2 bytes
        assertEquals(327_680, ModelMath.kvBytesPerToken(catalog.model("llama-3.1-70b"), 16), 0.0);
        assertEquals(163_840, ModelMath.kvBytesPerToken(catalog.model("llama-3.1-70b"), 8), 0.0);
        // Llama-3.1-8B: 2 x 32 x 8 x 128 x 2
        assertEquals(131_072, ModelMath.kvBytesPerToken(catalog.model("llama-3.1-8b"), 16), 0.0);
    }

    @Test
    void kvBytesPerTokenMla() {
        // DeepSeek-V3 caches one latent of kv_lora_rank 512 + rope 64 per layer: 61 x 576 x 2 bytes
        assertEquals(70_272, ModelMath.kvBytesPerToken(catalog.model("deepseek-v3"), 16), 0.0);
    }

    @Test
    void kvBytesPerTokenMhaUsesConfigHeadDim() {
        // Gemma-2-27B: head_dim 128 from the config, not hidden 4608 / 32 heads = 144
        Model gemma = catalog.model("gemma-2-27b");
        assertEquals(128, gemma.headDim());
        assertEquals(2.0 * gemma.layers() * gemma.kvHeads() * 128 * 2, ModelMath.kvBytesPerToken(gemma, 16), 0.0);
    }

    @Test
    void slidingWindowCapsStoredKv() {
        Model mistral = catalog.model("mistral-7b");
        assertEquals(4096, mistral.slidingWindowTokens());
        assertEquals(4096, ModelMath.kvTokensStored(mistral, 10_000), 1e-9);
        assertEquals(1000, ModelMath.kvTokensStored(mistral, 1000), 1e-9);
        Model gemma = catalog.model("gemma-2-27b"); // half the layers windowed at 4096
        assertEquals(0.5 * 10_000 + 0.5 * 4096, ModelMath.kvTokensStored(gemma, 10_000), 1e-9);
    }

    @Test
    void attendedPositionsCausal() {
        Model llama = catalog.model("llama-3.1-8b");
        // 4 new tokens after 10 cached: 11 + 12 + 13 + 14
        assertEquals(50, ModelMath.attendedPositions(llama, 10, 4), 1e-9);
        Model mistral = catalog.model("mistral-7b");
        // window 4096: tokens 4095, 4096, 4096
        assertEquals(4095 + 4096 + 4096, ModelMath.attendedPositions(mistral, 4094, 3), 1e-9);
    }

    @Test
    void llama70bWeightsFitOneH100OnlyAt8Bit() {
        Model m = catalog.model("llama-3.1-70b");
        var h100 = catalog.hardware("h100-sxm");
        var chat = catalog.workload("chat");
        var bf16 = stack("bf16,continuous-batching,flash-attention,paged-kv");
        var fp8 = stack("fp8,continuous-batching,flash-attention,paged-kv");
        // 16-bit: ~141 GB of weights against 80 GiB
        assertEquals(2 * m.paramsTotal() / 1e9, ModelMath.weightBytes(m, bf16) / 1e9, 0.01);
        assertFalse(InferenceEngine.estimate(m, h100, 1, chat, bf16, 1, cfg).fits());
        assertTrue(InferenceEngine.estimate(m, h100, 1, chat, fp8, 1, cfg).fits());
        assertEquals(2, InferenceEngine.minDevices(m, h100, chat, bf16, cfg));
        assertEquals(1, InferenceEngine.minDevices(m, h100, chat, fp8, cfg));
    }

    @Test
    void quantizedWeightsKeepEmbeddingsAt16Bits() {
        Model m = catalog.model("llama-3.1-8b");
        double emb = 2.0 * m.vocabSize() * m.hiddenSize();
        double int4 = ModelMath.weightBytes(m, stack("int4"));
        // 4 bits + 32 bits of scales per group of 128 = 4.25 bits per weight
        assertEquals((m.paramsTotal() - emb) * 4.25 / 8 + emb * 2, int4, 1.0);
    }

    @Test
    void moeTouchesFewExpertsAtBatchOne() {
        Model mixtral = catalog.model("mixtral-8x7b");
        var s = stack("bf16");
        double one = ModelMath.weightBytesTouched(mixtral, s, 1);
        double many = ModelMath.weightBytesTouched(mixtral, s, 4096);
        double all = ModelMath.weightBytes(mixtral, s);
        assertTrue(one < 0.4 * all, "one token reads 2 of 8 experts");
        double lookup = (double) mixtral.vocabSize() * mixtral.hiddenSize() * 2;
        assertEquals(all - lookup, many, all * 1e-6); // every expert is hit; the input embedding is only gathered
        assertTrue(ModelMath.paramsPerExpert(mixtral) > 5e9 && ModelMath.paramsPerExpert(mixtral) < 6e9);
    }

    @Test
    void speculativeExpectedTokens() {
        // (1 - a^(k+1)) / (1 - a)
        assertEquals(1 + 0.8 + 0.64 + 0.512 + 0.4096, OptimizationStack.expectedAcceptedTokens(0.8, 4), 1e-12);
        assertEquals(1.0, OptimizationStack.expectedAcceptedTokens(0.0, 5), 1e-12);
        assertEquals(6.0, OptimizationStack.expectedAcceptedTokens(1.0, 5), 1e-12);
    }

    @Test
    void sixNDForGpt3() {
        Model gpt3 = catalog.model("gpt-3-175b");
        double flop = TrainingEngine.sixND(gpt3, 300e9);
        assertEquals(3.15e23, flop, 0.01 * 3.15e23);
    }
}
