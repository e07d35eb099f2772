package tokencost.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.TestCatalogs;
import tokencost.conf.TokencostConf;
import tokencost.engine.Estimate;
import tokencost.engine.InferenceEngine;
import tokencost.engine.Verdict;

/** The per-slice analytics against brute force over the same cells. */
class SliceEvaluatorTest {
    @TempDir
    Path dir;

    private SweepPlan plan(String sweep) throws Exception {
        Path f = dir.resolve("s.conf");
        Files.writeString(f, sweep);
        return SweepPlan.from(TokencostConf.load(f), TestCatalogs.real());
    }

    private static List<Estimate> cells(SweepPlan plan, long slice) {
        List<Estimate> out = new ArrayList<>();
        SliceEvaluator.cells(plan, slice, out::add);
        return out;
    }

    @Test
    void cellsAreTheEngineCellByCell() throws Exception {
        SweepPlan plan = plan("tokencost.sweep { models = [llama-3.1-70b], hardware = [inferentia2], workloads = [chat]\n"
                + " devices = [1, 8, 16, 24], batches = [1, 32], stack-levers = [fp8, paged-kv] }");
        List<Estimate> cells = cells(plan, 0);
        assertEquals(plan.cellsPerSlice(), cells.size());
        var cat = plan.catalog();
        for (Estimate e : cells) {
            if (!InferenceEngine.validDevices(cat.hardware("inferentia2"), e.devices())) {
                assertEquals(Verdict.INVALID_DEVICES, e.verdict()); // 16 is above a 12-device node and not a multiple of it
                assertFalse(e.fits());
                continue;
            }
            var stack = plan.stacks().stream().filter(s -> s.id().equals(e.optimizationStack())).findFirst().orElseThrow();
            assertEquals(InferenceEngine.estimate(cat.model("llama-3.1-70b"), cat.hardware("inferentia2"), e.devices(),
                    cat.workload("chat"), stack, e.batch(), plan.settings()), e);
        }
        assertTrue(cells.stream().anyMatch(e -> e.devices() == 16 && e.verdict() == Verdict.INVALID_DEVICES));
        assertTrue(cells.stream().anyMatch(e -> e.devices() == 24 && e.fits()));
    }

    @Test
    void frontierIsTheCheapestSloMeetingCellOfEachStack() throws Exception {
        SweepPlan plan = plan("tokencost.sweep { models = [llama-3.1-70b], hardware = [h100-sxm], workloads = [chat]\n"
                + " devices = [1, 2, 4, 8], batches = [1, 4, 16, 64, 256], stack-levers = [fp8, continuous-batching, paged-kv] }");
        SliceEvaluator.Summary s = SliceEvaluator.summarize(plan, 0);
        List<Estimate> cells = cells(plan, 0);
        int in = plan.catalog().workload("chat").inputTokens(), out = plan.catalog().workload("chat").outputTokens();
        assertEquals(plan.stacks().size(), s.frontier().size());
        for (SliceEvaluator.Frontier f : s.frontier()) {
            List<Estimate> mine = cells.stream().filter(e -> e.optimizationStack().equals(f.stack().id())).toList();
            assertEquals(mine.size(), f.cells());
            assertEquals(mine.stream().filter(Estimate::fits).count(), f.fitting());
            List<Estimate> ok = mine.stream().filter(Estimate::meetsSlo).toList();
            assertEquals(ok.size(), f.meetingSlo());
            if (ok.isEmpty()) {
                assertNull(f.best());
            } else {
                double min = ok.stream().mapToDouble(e -> e.costUsdPerRequest(in, out)).min().orElseThrow();
                assertEquals(min, f.best().costUsdPerRequest(in, out), 0.0);
            }
            double maxTput = mine.stream().filter(Estimate::fits).mapToDouble(Estimate::outputTokSPerDevice).max().orElse(-1);
            if (maxTput > 0) assertEquals(maxTput, f.maxThroughput().outputTokSPerDevice(), 0.0);
        }
        assertTrue(s.frontier().stream().anyMatch(f -> f.best() != null), "some stack meets the chat SLO");
    }

    @Test
    void paretoPointsAreUndominatedAndDominateTheRest() throws Exception {
        SweepPlan plan = plan("tokencost.sweep { models = [mixtral-8x7b], hardware = [mi300x], workloads = [summarization]\n"
                + " devices = [1, 2, 4], batches = [1, 8, 64, 512], stack-levers = [fp8, int4, continuous-batching, speculative-decoding] }");
        SliceEvaluator.Summary s = SliceEvaluator.summarize(plan, 0);
        List<Estimate> fitting = cells(plan, 0).stream().filter(Estimate::fits).toList();
        int in = 781, out = 56;
        assertFalse(s.pareto().isEmpty());
        for (Estimate p : s.pareto()) {
            for (Estimate o : fitting) {
                boolean dominates = o.costUsdPerRequest(in, out) <= p.costUsdPerRequest(in, out) && o.tpotMs() <= p.tpotMs()
                        && (o.costUsdPerRequest(in, out) < p.costUsdPerRequest(in, out) || o.tpotMs() < p.tpotMs());
                assertFalse(dominates, o + " dominates Pareto point " + p);
            }
        }
        for (Estimate o : fitting) {
            if (s.pareto().contains(o)) continue;
            assertTrue(s.pareto().stream().anyMatch(p -> p.costUsdPerRequest(in, out) <= o.costUsdPerRequest(in, out)
                    && p.tpotMs() <= o.tpotMs()), "non-frontier cell not covered: " + o);
        }
        for (int i = 1; i < s.pareto().size(); i++) {
            assertTrue(s.pareto().get(i).costUsdPerRequest(in, out) >= s.pareto().get(i - 1).costUsdPerRequest(in, out));
            assertTrue(s.pareto().get(i).tpotMs() < s.pareto().get(i - 1).tpotMs());
        }
    }

    @Test
    void impactComparesEachLeverWithTheBaseline() throws Exception {
        SweepPlan plan = plan("tokencost.sweep { models = [llama-3.1-8b], hardware = [a100-sxm-80gb], workloads = [chat]\n"
                + " devices = [1, 2], batches = [1, 8, 32, 128], stack-levers = [fp8, int4, continuous-batching, flash-attention, paged-kv] }");
        SliceEvaluator.Summary s = SliceEvaluator.summarize(plan, 0);
        var byVariant = new java.util.LinkedHashMap<String, SliceEvaluator.Impact>();
        s.impact().forEach(i -> byVariant.put(i.variant(), i));
        assertEquals(plan.impactVariants().size() + 1, s.impact().size());
        SliceEvaluator.Impact base = byVariant.get(SweepPlan.BASELINE);
        assertNotNull(base.best(), "bf16 Llama-3.1-8B on one A100 meets the chat SLO");
        assertEquals(1.0, base.costVsBaseline(), 1e-12);
        assertEquals("bf16", base.stack());
        // Static batches prefill together, so the TTFT SLO caps bare bf16's batch: paged KV alone cannot help
        // (same best cell), continuous batching can.
        assertEquals(1.0, byVariant.get("paged-kv").costVsBaseline(), 1e-12);
        assertTrue(byVariant.get("continuous-batching").costVsBaseline() > 1.0);
        assertEquals("bf16+paged-kv+prefix-cache", byVariant.get("prefix-cache").stack());
        SliceEvaluator.Impact best = byVariant.get(SweepPlan.BEST_STACK);
        assertTrue(best.costVsBaseline() >= 2.0, "the best stack buys at least 2x here: " + best.costVsBaseline());
        for (SliceEvaluator.Frontier f : s.frontier()) {
            var chat = plan.catalog().workload("chat");
            if (f.best() != null) assertTrue(f.best().costUsdPerRequest(chat.inputTokens(), chat.outputTokens())
                    >= best.best().costUsdPerRequest(chat.inputTokens(), chat.outputTokens()));
        }
    }
}
