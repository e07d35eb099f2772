package tokencost.engine;

import tokencost.catalog.Hardware;
import tokencost.catalog.Model;
import tokencost.catalog.Workload;

/** Picks the batch an operator would run: the cheapest that meets the SLO, or the cheapest overall without one. */
public final class BatchChooser {
    private BatchChooser() {}

    public static Estimate best(Model m, Hardware hw, int devices, Workload w, OptimizationStack s, EngineSettings cfg) {
        if (!InferenceEngine.validDevices(m, hw, devices)) {
            return InferenceEngine.estimate(m, hw, devices, w, s, 1, cfg).withBatchChoice("none fits: batch 1 shown");
        }
        InferenceEngine.Memory mem = InferenceEngine.memory(m, hw, devices, w, s, cfg);
        if (mem.maxBatch() < 1) {
            return InferenceEngine.estimate(m, hw, devices, w, s, 1, cfg)
                    .withBatchChoice("none fits: batch 1 shown");
        }
        Estimate cheapest = null;
        Estimate cheapestMeetingSlo = null;
        Estimate fastest = null;
        int minDevices = InferenceEngine.minDevices(m, hw, w, s, cfg);
        for (int b = 1; b <= mem.maxBatch(); b++) {
            Estimate e = InferenceEngine.estimate(m, hw, devices, w, s, b, cfg, minDevices);
            double cost = e.costUsdPerRequest(w.inputTokens(), w.outputTokens());
            if (cheapest == null || cost < cheapest.costUsdPerRequest(w.inputTokens(), w.outputTokens())) cheapest = e;
            if (Boolean.TRUE.equals(e.sloMet()) && (cheapestMeetingSlo == null
                    || cost < cheapestMeetingSlo.costUsdPerRequest(w.inputTokens(), w.outputTokens()))) {
                cheapestMeetingSlo = e;
            }
            if (fastest == null || e.tpotMs() < fastest.tpotMs()) fastest = e;
        }
        if (!w.hasSlo()) return cheapest.withBatchChoice("lowest cost (workload has no SLO)");
        if (cheapestMeetingSlo != null) return cheapestMeetingSlo.withBatchChoice("lowest cost meeting the SLO");
        return fastest.withBatchChoice("no batch meets the SLO: lowest latency shown");
    }
}
