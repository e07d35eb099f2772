package tokencost.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tokencost.TestCatalogs;
import tokencost.catalog.Catalog;
import tokencost.catalog.Hardware;
import tokencost.catalog.KernelEfficiency;
import tokencost.catalog.Model;
import tokencost.catalog.Workload;

/** The serving physics on hand-computed cases, and each lever changing the right term. */
class InferenceEngineTest {
    private final Catalog catalog = TestCatalogs.real();
    private final EngineSettings cfg = TestCatalogs.settings();

    private OptimizationStack stack(String spec) {
        return StackParser.parse(spec, catalog);
    }

    @Test
    void batchOneDecodeIsTheWeightStreamingTime() {
        Model m = catalog.model("llama-3.1-8b");
        Hardware h = catalog.hardware("h100-sxm");
        OptimizationStack s = stack("bf16,flash-attention,paged-kv"); // static batching: tpot = one step
        Workload w = Workload.custom(100, 100);
        Estimate e = InferenceEngine.estimate(m, h, 1, w, s, 1, cfg);

        KernelEfficiency k = s.runtime().forVendor(h.vendor());
        double bw = h.memoryBwGbS() * 1e9 * h.memoryEfficiency() * k.bandwidthEfficiency();
        double gemm = h.peakTflopsBf16() * 1e12 * h.computeEfficiency() * k.gemmEfficiency() * 1 / (1 + k.gemmHalfTokens());
        double attnPeak = h.peakTflopsBf16() * 1e12 * h.computeEfficiency() * k.attentionEfficiency();
        double lookup = (double) m.vocabSize() * m.hiddenSize() * 2;
        double weightsRead = m.paramsTotal() * 2 - lookup;
        double linear = Math.max(weightsRead / bw, 2 * (m.paramsActive() - m.vocabSize() * (double) m.hiddenSize()) / gemm);
        double context = 100 + 50; // mean context while decoding 100 tokens after a 100-token prompt
        double kv = (context + 1) * 131_072 / bw;
        double attnFlops = 2.0 * m.attentionHeads() * (2 * m.headDim()) * (context + 1) * m.layers() / attnPeak;
        double step = linear + Math.max(kv, attnFlops) + (k.stepOverheadUs() + k.sequenceOverheadUs()) / 1e6; // one sequence
        assertEquals(step * 1e3, e.tpotMs(), 1e-9 * step * 1e3);
        assertEquals(Bound.MEMORY, e.bound());
    }

    @Test
    void costAndEnergyArithmetic() {
        Model m = catalog.model("llama-3.1-70b");
        Hardware h = catalog.hardware("h200-sxm");
        Estimate e = InferenceEngine.estimate(m, h, 2, catalog.workload("chat"),
                stack("fp8,continuous-batching,flash-attention,paged-kv"), 16, cfg);
        assertEquals(2 * h.priceUsdPerHour(), e.costUsdPerHour(), 1e-12);
        // cost per output token = $/s x decode time / tokens; cross-check through throughput
        double usdPerS = e.costUsdPerHour() / 3600;
        Workload chat = catalog.workload("chat");
        int in = chat.inputTokens(), out = chat.outputTokens();
        double cycleS = 16.0 * out / e.outputTokS();
        double blended = (e.costUsdPerMtokIn() * in + e.costUsdPerMtokOut() * out) / 1e6;
        assertEquals(usdPerS * cycleS / 16, blended, 1e-12);
        double watts = 2 * h.powerW() * cfg.powerFractionOfTdp() * cfg.pue();
        assertEquals(watts * cycleS / (16.0 * (in + out)), e.energyJPerTok(), 1e-9);
    }

    @Test
    void ownedHardwareIsCapexPlusEnergy() {
        Hardware mac = catalog.hardware("apple-m4-max");
        assertNull(mac.priceUsdPerHour());
        double expected = mac.purchaseUsd() / (cfg.amortizationYears() * 365.25 * 24)
                + mac.powerW() * cfg.powerFractionOfTdp() * cfg.pue() / 1000 * cfg.electricityUsdPerKwh();
        assertEquals(expected, InferenceEngine.usdPerDeviceHour(mac, cfg), 1e-12);
        assertEquals(EngineSettings.Pricing.OWN, InferenceEngine.pricingUsed(mac, cfg));
        assertThrows(IllegalArgumentException.class,
                () -> InferenceEngine.usdPerDeviceHour(mac, cfg.withPricing(EngineSettings.Pricing.RENT)));
    }

    @Test
    void tensorParallelAddsAllReduceTime() {
        Model m = catalog.model("llama-3.1-70b");
        Hardware h = catalog.hardware("h100-sxm");
        OptimizationStack s = stack("fp8,flash-attention,paged-kv");
        Workload w = Workload.custom(100, 100);
        Estimate one = InferenceEngine.estimate(m, h, 1, w, s, 1, cfg);
        Estimate two = InferenceEngine.estimate(m, h, 2, w, s, 1, cfg);
        // Half the bytes per device (the fixed step time stays whole), plus 2 all-reduces per layer of 1 token x hidden x 2 bytes.
        KernelEfficiency k = s.runtime().forVendor(h.vendor());
        double allReduce = 2.0 * (2 - 1) / 2 * m.hiddenSize() * 2 / (h.interconnectGbS() * 1e9 * k.allreduceEfficiency())
                + cfg.collectiveLatencyUs() / 1e6;
        double comm = 2 * m.layers() * allReduce;
        double fixedMs = (k.stepOverheadUs() + k.sequenceOverheadUs()) / 1e3;
        assertEquals((one.tpotMs() - fixedMs) / 2 + fixedMs + comm * 1e3, two.tpotMs(), 0.02 * one.tpotMs());
        assertTrue(two.tpotMs() > one.tpotMs() / 2);
    }

    @Test
    void devicesBeyondANodeFormPipelineStages() {
        Model m = catalog.model("llama-3.1-405b");
        Hardware h = catalog.hardware("h100-sxm");
        Estimate e = InferenceEngine.estimate(m, h, 16, catalog.workload("chat"), stack("bf16,continuous-batching,flash-attention,paged-kv"), 8, cfg);
        assertEquals(8, e.tensorParallel());
        assertEquals(2, e.pipelineParallel());
        assertTrue(e.fits());
        // 12 is neither within a node of 8 nor whole nodes: a cell that does not fit, with its reason
        Estimate twelve = InferenceEngine.estimate(m, h, 12, catalog.workload("chat"), stack("bf16"), 1, cfg);
        assertEquals(Verdict.INVALID_DEVICES, twelve.verdict());
        assertThrows(IllegalArgumentException.class, () -> InferenceEngine.parallelism(h, 12));
    }

    @Test
    void notFittingGivesReasonAndNoNumbers() {
        Estimate e = InferenceEngine.estimate(catalog.model("llama-3.1-405b"), catalog.hardware("h100-sxm"), 1,
                catalog.workload("chat"), stack("bf16"), 1, cfg);
        assertFalse(e.fits());
        assertEquals(Bound.CAPACITY, e.bound());
        assertEquals("capacity", e.toMap().get("bound"), "the tables and JSON carry the label");
        assertNull(e.ttftMs());
        assertNull(e.costUsdPerMtokOut());
        assertTrue(e.reason().startsWith("does not fit: weights need"), e.reason());
        assertTrue(e.reason().contains("needs at least 16 h100-sxm devices"), e.reason());
    }

    @Test
    void sloMissExplainsWhich() {
        Estimate e = InferenceEngine.estimate(catalog.model("llama-3.1-70b"), catalog.hardware("h100-sxm"), 2,
                catalog.workload("chat"), stack("fp8,continuous-batching,flash-attention,paged-kv"), 180, cfg);
        assertEquals(Boolean.FALSE, e.sloMet());
        assertTrue(e.reason().contains("TPOT") && e.reason().contains("> SLO 40.0 ms"), e.reason());
    }

    @Test
    void batchChooserPicksCheapestBatchMeetingSlo() {
        Model m = catalog.model("llama-3.1-70b");
        Hardware h = catalog.hardware("h100-sxm");
        Workload chat = catalog.workload("chat");
        OptimizationStack s = stack("fp8,continuous-batching,flash-attention,paged-kv");
        Estimate best = BatchChooser.best(m, h, 2, chat, s, cfg);
        assertEquals(Boolean.TRUE, best.sloMet());
        assertEquals("lowest cost meeting the SLO", best.batchChoice());
        double bestCost = best.costUsdPerRequest(chat.inputTokens(), chat.outputTokens());
        for (int b = 1; b <= best.maxBatch(); b++) {
            Estimate e = InferenceEngine.estimate(m, h, 2, chat, s, b, cfg);
            if (Boolean.TRUE.equals(e.sloMet())) {
                assertTrue(e.costUsdPerRequest(chat.inputTokens(), chat.outputTokens()) >= bestCost, "batch " + b);
            }
        }
        Estimate next = InferenceEngine.estimate(m, h, 2, chat, s, best.batch() + 1, cfg);
        assertFalse(next.sloMet(), "the SLO is what stops a bigger, cheaper batch");
    }

    @Test
    void continuousBatchingBeatsStaticBatches() {
        Model m = catalog.model("llama-3.1-8b");
        Hardware h = catalog.hardware("a100-sxm-80gb");
        Workload w = Workload.custom(512, 512); // decode-heavy: where request-level batches idle
        Estimate stat = InferenceEngine.estimate(m, h, 1, w, stack("bf16,paged-kv,flash-attention"), 32, cfg);
        Estimate cont = InferenceEngine.estimate(m, h, 1, w, stack("bf16,paged-kv,flash-attention,continuous-batching"), 32, cfg);
        assertTrue(cont.outputTokS() > 2 * stat.outputTokS(), "idle slots of static batches: " + cont.outputTokS() + " vs " + stat.outputTokS());
    }

    @Test
    void pagedKvRaisesMaxBatch() {
        Model m = catalog.model("llama-3.1-8b");
        Hardware h = catalog.hardware("h100-sxm");
        Workload w = catalog.workload("chat");
        int contiguous = InferenceEngine.memory(m, h, 1, w, stack("bf16"), cfg).maxBatch();
        int paged = InferenceEngine.memory(m, h, 1, w, stack("bf16,paged-kv"), cfg).maxBatch();
        int pagedFp8Kv = InferenceEngine.memory(m, h, 1, w, stack("bf16,paged-kv,fp8-kv"), cfg).maxBatch();
        assertTrue(paged > 4 * contiguous, paged + " vs " + contiguous);
        assertEquals(2.0, (double) pagedFp8Kv / paged, 0.02);
    }

    @Test
    void prefixCacheShortensPrefill() {
        Model m = catalog.model("llama-3.1-70b");
        Hardware h = catalog.hardware("h200-sxm");
        Workload w = catalog.workload("agentic");
        Estimate off = InferenceEngine.estimate(m, h, 4, w, stack("fp8,paged-kv,flash-attention,continuous-batching"), 1, cfg);
        Estimate on = InferenceEngine.estimate(m, h, 4, w, stack("fp8,paged-kv,flash-attention,continuous-batching,prefix-cache"), 1, cfg);
        assertTrue(on.ttftMs() < 0.5 * off.ttftMs(), on.ttftMs() + " vs " + off.ttftMs());
        assertTrue(on.costUsdPerMtokIn() < off.costUsdPerMtokIn());
        assertEquals(off.kvGbPerRequest(), on.kvGbPerRequest(), 1e-12);
    }

    @Test
    void flashAttentionMattersForLongPrompts() {
        Model m = catalog.model("llama-3.1-8b");
        Hardware h = catalog.hardware("h100-sxm");
        double shortGain = ttft(m, h, Workload.custom(256, 64), "bf16,paged-kv") / ttft(m, h, Workload.custom(256, 64), "bf16,paged-kv,flash-attention");
        double longGain = ttft(m, h, Workload.custom(32_000, 64), "bf16,paged-kv") / ttft(m, h, Workload.custom(32_000, 64), "bf16,paged-kv,flash-attention");
        assertTrue(shortGain >= 1.0 && shortGain < 1.1, "short prompt: " + shortGain);
        assertTrue(longGain > 1.2, "long prompt: " + longGain);
    }

    private double ttft(Model m, Hardware h, Workload w, String spec) {
        Estimate e = InferenceEngine.estimate(m, h, 1, w, stack(spec), 1, cfg);
        assertNotNull(e.ttftMs(), e.reason());
        return e.ttftMs();
    }

    @Test
    void speculativeDecodingHelpsLessAtLargeBatch() {
        Model m = catalog.model("llama-3.1-70b");
        Hardware h = catalog.hardware("h200-sxm");
        Workload w = Workload.custom(512, 256);
        double gain1 = gain(m, h, w, 1);
        double gain256 = gain(m, h, w, 256);
        assertTrue(gain1 > 2.0, "batch 1: " + gain1);
        assertTrue(gain256 < gain1, "batch 256: " + gain256 + " vs batch 1: " + gain1);
    }

    private double gain(Model m, Hardware h, Workload w, int batch) {
        Estimate base = InferenceEngine.estimate(m, h, 2, w, stack("fp8,paged-kv,flash-attention"), batch, cfg);
        Estimate spec = InferenceEngine.estimate(m, h, 2, w, stack("fp8,paged-kv,flash-attention,speculative-decoding"), batch, cfg);
        return base.tpotMs() / spec.tpotMs();
    }

    @Test
    void fp8FallsBackTo16BitComputeWithoutNativeSupport() {
        OptimizationStack fp8 = stack("fp8");
        assertEquals("BF16", InferenceEngine.computePrecision(catalog.hardware("a100-sxm-80gb"), fp8).name());
        assertEquals("FP8", InferenceEngine.computePrecision(catalog.hardware("h100-sxm"), fp8).name());
    }

    @Test
    void aRequestBeyondTheContextWindowDoesNotFitAndSaysWhy() {
        Model m = catalog.model("llama-3.1-70b");
        Hardware h = catalog.hardware("h100-sxm");
        OptimizationStack s = stack("fp8,continuous-batching,flash-attention,paged-kv");
        Workload tooLong = Workload.custom(300_000, 10);
        Estimate e = BatchChooser.best(m, h, 64, tooLong, s, cfg);
        assertEquals(Verdict.NO_FIT_CONTEXT, e.verdict());
        assertTrue(!e.fits() && e.outputTokS() == null && e.minDevices() == null, e.toString());
        assertTrue(e.reason().contains("context window"), e.reason());
        // exactly at the window: the last output token attends to context - 1 earlier positions
        int context = m.contextTokens();
        assertTrue(InferenceEngine.estimate(m, h, 8, Workload.custom(context - 99, 100), s, 1, cfg).fits());
        assertEquals(Verdict.NO_FIT_CONTEXT, InferenceEngine.estimate(m, h, 8, Workload.custom(context - 98, 100), s, 1, cfg).verdict());
    }

    @Test
    void moreDevicesThanPipelineStagesCanUseAreRefusedWithAReason() {
        Model m = catalog.model("llama-3.1-70b");
        Hardware h = catalog.hardware("h100-sxm");
        OptimizationStack s = stack("fp8,continuous-batching,flash-attention,paged-kv");
        Workload w = Workload.custom(1000, 100);
        int node = h.devicesPerNode();
        assertTrue(InferenceEngine.validDevices(m, h, node * m.layers()), "one layer per stage is the limit");
        assertTrue(!InferenceEngine.validDevices(m, h, node * (m.layers() + 1)));
        Estimate e = InferenceEngine.estimate(m, h, 1_000_000_000, w, s, 1, cfg);
        assertEquals(Verdict.INVALID_DEVICES, e.verdict());
        assertTrue(!e.fits() && e.costUsdPerHour() == null && e.pipelineParallel() == 0, e.toString());
        assertTrue(e.reason().contains("no more pipeline stages"), e.reason());
    }
}
