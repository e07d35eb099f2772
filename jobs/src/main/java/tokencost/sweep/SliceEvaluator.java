package tokencost.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tokencost.catalog.Hardware;
import tokencost.catalog.Model;
import tokencost.catalog.Workload;
import tokencost.engine.Estimate;
import tokencost.engine.InferenceEngine;
import tokencost.engine.OptimizationStack;

/**
 * Evaluates one slice of a sweep — every stack x devices x batch cell of one (model, hardware, workload) —
 * and summarises it: per-stack frontier, the cost/latency Pareto set, and what each lever buys. Pure Java;
 * the Spark job calls it inside partitions, the tests call it directly.
 */
public final class SliceEvaluator {
    private SliceEvaluator() {}

    /** The cheapest SLO-meeting cell and the highest-throughput fitting cell of one stack. */
    public record Frontier(OptimizationStack stack, int cells, int fitting, int meetingSlo, Estimate best, Estimate maxThroughput) {}

    /** One lever variant's cheapest SLO-meeting cell, and its cost advantage over the baseline. */
    public record Impact(String variant, String stack, Estimate best, Double costVsBaseline) {}

    public record Summary(Model model, Hardware hardware, Workload workload, List<Frontier> frontier, List<Estimate> pareto,
                          List<Impact> impact) {}

    /** Every cell of the slice, in stack, devices, batch order. */
    public static void cells(SweepPlan plan, long sliceIndex, Consumer<Estimate> out) {
        String[] ids = plan.slice(sliceIndex);
        Model m = plan.catalog().model(ids[0]);
        Hardware h = plan.catalog().hardware(ids[1]);
        Workload w = plan.catalog().workload(ids[2]);
        for (OptimizationStack s : plan.stacks()) stackCells(plan, m, h, w, s, out);
    }

    private static void stackCells(SweepPlan plan, Model m, Hardware h, Workload w, OptimizationStack s, Consumer<Estimate> out) {
        int minDevices = InferenceEngine.minDevices(m, h, w, s, plan.settings());
        for (int d : plan.devices()) {
            boolean valid = InferenceEngine.validDevices(m, h, d);
            for (int b : plan.batches()) {
                out.accept(valid ? InferenceEngine.estimate(m, h, d, w, s, b, plan.settings(), minDevices)
                        : InferenceEngine.invalidDevices(m, h, d, w, s, b, minDevices));
            }
        }
    }

    public static Summary summarize(SweepPlan plan, long sliceIndex) {
        List<Estimate> cells = new ArrayList<>(plan.cellsPerSlice());
        cells(plan, sliceIndex, cells::add);
        return summarize(plan, sliceIndex, cells);
    }

    /**
     * The slice's summary from its cells already evaluated ({@link #cells}'s order): the sweep writes the grid and
     * its summaries in one pass, so no cell is evaluated twice.
     */
    public static Summary summarize(SweepPlan plan, long sliceIndex, List<Estimate> cells) {
        if (cells.size() != plan.cellsPerSlice()) {
            throw new IllegalArgumentException("a slice has " + plan.cellsPerSlice() + " cells, got " + cells.size());
        }
        String[] ids = plan.slice(sliceIndex);
        Model m = plan.catalog().model(ids[0]);
        Hardware h = plan.catalog().hardware(ids[1]);
        Workload w = plan.catalog().workload(ids[2]);
        int in = w.inputTokens();
        int out = w.outputTokens();
        // compares cells that fit only: their cost unboxed
        Comparator<Estimate> byCost = Comparator.comparingDouble((Estimate e) -> e.requestCostUsd(in, out))
                .thenComparingInt(Estimate::devices).thenComparingInt(Estimate::batch);

        int perStack = plan.devices().length * plan.batches().length;
        List<Frontier> frontier = new ArrayList<>();
        List<Estimate> fittingAll = new ArrayList<>();
        Estimate bestOverall = null;
        OptimizationStack bestOverallStack = null;
        for (int k = 0; k < plan.stacks().size(); k++) {
            OptimizationStack s = plan.stacks().get(k);
            int[] counts = new int[3];
            Estimate[] best = new Estimate[2];
            for (Estimate e : cells.subList(k * perStack, (k + 1) * perStack)) {
                counts[0]++;
                if (!e.fits()) continue;
                counts[1]++;
                fittingAll.add(e);
                if (best[1] == null || e.performance().outputTokSPerDevice() > best[1].performance().outputTokSPerDevice()) best[1] = e;
                if (!e.meetsSlo()) continue;
                counts[2]++;
                if (best[0] == null || byCost.compare(e, best[0]) < 0) best[0] = e;
            }
            frontier.add(new Frontier(s, counts[0], counts[1], counts[2], best[0], best[1]));
            if (best[0] != null && (bestOverall == null || byCost.compare(best[0], bestOverall) < 0)) {
                bestOverall = best[0];
                bestOverallStack = s;
            }
        }
        return new Summary(m, h, w, frontier, pareto(fittingAll, in, out),
                impact(plan, m, h, w, cells, perStack, bestOverall, bestOverallStack, byCost));
    }

    /** Cells no other cell beats on both blended cost and TPOT, cheapest first. */
    static List<Estimate> pareto(List<Estimate> fitting, int in, int out) {
        // the sort keys once per cell, unboxed: a comparator that computed them boxed them O(n log n) times
        List<Keyed> sorted = new ArrayList<>(fitting.size());
        for (Estimate e : fitting) sorted.add(new Keyed(e.requestCostUsd(in, out), e.performance().tpotMs(), e));
        sorted.sort(Comparator.comparingDouble(Keyed::cost).thenComparingDouble(Keyed::tpotMs));
        List<Estimate> front = new ArrayList<>();
        double bestTpot = Double.POSITIVE_INFINITY;
        for (Keyed k : sorted) {
            if (k.tpotMs() < bestTpot) {
                front.add(k.estimate());
                bestTpot = k.tpotMs();
            }
        }
        return front;
    }

    private record Keyed(double cost, double tpotMs, Estimate estimate) {}

    private static List<Impact> impact(SweepPlan plan, Model m, Hardware h, Workload w, List<Estimate> cells, int perStack,
                                       Estimate bestOverall, OptimizationStack bestStack, Comparator<Estimate> byCost) {
        List<Impact> out = new ArrayList<>();
        Estimate baseline = null;
        for (Map.Entry<String, OptimizationStack> v : plan.impactVariants().entrySet()) {
            Estimate[] best = new Estimate[1];
            Consumer<Estimate> cheapest = e -> {
                if (e.meetsSlo() && (best[0] == null || byCost.compare(e, best[0]) < 0)) best[0] = e;
            };
            int k = plan.stacks().indexOf(v.getValue()); // a variant the grid has: its cells are evaluated already
            if (k >= 0) cells.subList(k * perStack, (k + 1) * perStack).forEach(cheapest);
            else stackCells(plan, m, h, w, v.getValue(), cheapest);
            if (v.getKey().equals(SweepPlan.BASELINE)) baseline = best[0];
            out.add(new Impact(v.getKey(), v.getValue().id(), best[0], ratio(baseline, best[0], w)));
        }
        out.add(new Impact(SweepPlan.BEST_STACK, bestStack == null ? "" : bestStack.id(), bestOverall, ratio(baseline, bestOverall, w)));
        return out;
    }

    private static Double ratio(Estimate baseline, Estimate e, Workload w) {
        if (baseline == null || e == null) return null;
        return baseline.costUsdPerRequest(w.inputTokens(), w.outputTokens()) / e.costUsdPerRequest(w.inputTokens(), w.outputTokens());
    }
}
