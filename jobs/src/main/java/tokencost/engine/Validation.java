package tokencost.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import tokencost.catalog.Catalog;
import tokencost.catalog.Hardware;
import tokencost.catalog.KernelEfficiency;
import tokencost.catalog.Model;
import tokencost.catalog.ReferenceMeasurement;
import tokencost.catalog.ServingRuntime;
import tokencost.catalog.Workload;

/**
 * The engine against published measurements: one prediction per reference row, the fit of the default
 * runtime's kernel efficiencies, and cross-validation that holds out one vendor or one regime at a time
 * (fit on the rest, predict the held-out rows). Pure functions, no Spark.
 */
public final class Validation {
    private Validation() {}

    /** Levers a production serving stack always has besides its precisions. */
    public static final String SERVING_STACK = "continuous-batching,flash-attention,paged-kv";
    /** Batch-1 and static-batch runs: requests of one batch prefill together, then decode together. */
    public static final String LATENCY_STACK = "flash-attention,paged-kv";

    /** One row: what was measured, what the engine predicts for it, and in which fold it was held out. */
    public record Row(ReferenceMeasurement measured, Estimate estimate, double predicted, String fold) {
        /** Predicted / measured - 1. */
        public double error() {
            return predicted / measured.value() - 1.0;
        }

        /** max(predicted/measured, measured/predicted): how many times off. */
        public double factorOff() {
            double r = predicted / measured.value();
            return r >= 1 ? r : 1 / r;
        }
    }

    /** Summary of a set of rows. */
    public record Stats(int rows, double medianAbsError, double maxFactorOff) {
        public static Stats of(List<Row> rows) {
            double[] errs = rows.stream().mapToDouble(r -> Math.abs(r.error())).sorted().toArray();
            double worst = rows.stream().mapToDouble(Row::factorOff).max().orElse(1.0);
            return new Stats(rows.size(), median(errs), worst);
        }
    }

    public static String stackFor(ReferenceMeasurement r) {
        String weights = r.weightPrecision(); // a weight-precision lever or its alias (fp16)
        String kv = switch (r.kvPrecision()) {
            case "fp8" -> ",fp8-kv";
            case "int8" -> ",int8-kv";
            default -> "";
        };
        return weights + kv + "," + (latencyRun(r) || r.staticBatching() ? LATENCY_STACK : SERVING_STACK);
    }

    /**
     * A batch-1 run: TPOT is one decode step and TTFT one prefill, with nothing else scheduled beside them. Static
     * batches are the same with B sequences: all prompts, then decode steps.
     */
    static boolean latencyRun(ReferenceMeasurement r) {
        return r.batch() == 1;
    }

    /** The runtime a row is predicted with: its own when the catalog has it, else the default. */
    public static String runtimeFor(ReferenceMeasurement r, Catalog catalog) {
        return catalog.runtimes().containsKey(r.runtime()) ? r.runtime() : ServingRuntime.DEFAULT;
    }

    /** The engine's value of the row's metric (0 when the configuration does not fit). */
    public static Row predict(ReferenceMeasurement r, Catalog catalog, EngineSettings conf, String fold) {
        // the scheduler's iteration budget where the source states it (vLLM --max-num-batched-tokens, ...), else the conf's
        EngineSettings cfg = r.tokenBudget() > 0 ? conf.withMaxPrefillTokens(r.tokenBudget()) : conf;
        Model m = catalog.model(r.model());
        Hardware hw = catalog.hardware(r.hardware());
        Workload w = Workload.custom(r.inputTokens(), r.outputTokens());
        // a benchmark that ran past the model's trained context (Neuron's 8K runs of Llama 2 13B) measured the
        // physics all the same: predict it with the context the run used
        if (InferenceEngine.exceedsContext(m, w)) m = m.withContextTokens(r.inputTokens() + r.outputTokens());
        OptimizationStack s = StackParser.parse(stackFor(r), catalog, runtimeFor(r, catalog));
        // a benchmark's batch of identical requests finishes together: no slot idles
        if (r.staticBatching()) s = s.withStaticSlotUtilization(1.0);
        int batch = r.batch();
        int fits = Math.max(1, InferenceEngine.memory(m, hw, r.devices(), w, s, cfg).maxBatch());
        // offline: the runtime fills memory; a server under more client concurrency than it holds queues the rest
        if (r.maxBatch() || (!r.staticBatching() && batch > fits)) batch = fits;
        Estimate e = InferenceEngine.estimate(m, hw, r.devices(), w, s, batch, cfg);
        double predicted = e.fits() ? value(r, e) : 0.0;
        return new Row(r, e, predicted, fold);
    }

    private static double value(ReferenceMeasurement r, Estimate e) {
        return switch (r.metric()) {
            // one stream: its first token after the prefill, then one decode step per further token
            case "output_tok_s" -> latencyRun(r) ? r.outputTokens() / ((e.ttftMs() + (r.outputTokens() - 1) * e.tpotMs()) / 1e3)
                    : e.outputTokS();
            case "total_tok_s" -> e.outputTokS() * (r.inputTokens() + r.outputTokens()) / r.outputTokens();
            case "tpot_ms" -> e.tpotMs();
            case "ttft_ms" -> e.ttftMs();
            case "prefill_tok_s" -> r.inputTokens() / (e.ttftMs() / 1e3);
            default -> throw new IllegalArgumentException("unknown metric " + r.metric());
        };
    }

    public static List<Row> predictAll(List<ReferenceMeasurement> rows, Catalog catalog, EngineSettings cfg, String fold) {
        List<Row> out = new ArrayList<>(rows.size());
        for (ReferenceMeasurement r : rows) out.add(predict(r, catalog, cfg, fold));
        return out;
    }

    // ---- the fit ------------------------------------------------------------------------------------------

    /** Physical bounds of each fitted parameter (same order as {@link KernelEfficiency#PARAMETERS}). */
    private static final double[] LOW = {0.2, 1.0, 0.2, 0.3, 0.3, 0.1, 0.0, 0.0};
    private static final double[] HIGH = {1.25, 32.0, 1.0, 1.0, 1.25, 1.25, 20000.0, 200.0};
    /**
     * The parameters the any-vendor row fits: all but the attention efficiency, which the reference set barely
     * constrains (attention is a small share of most rows' time) and which is taken from FlashAttention-3's
     * measured rate instead (datasets/runtimes.csv).
     */
    private static final int[] GLOBAL = {0, 1, 2, 4, 5, 6, 7};
    /** The parameters a runtime's or vendor's own row refits (indices into the parameter array); the rest stay global. */
    private static final int[] PARTICULAR = {0, 4, 5, 6};
    /** Fewest rows of a runtime or vendor for it to get its own fitted row. */
    public static final int MIN_GROUP_ROWS = 8;

    /**
     * The fit's outcome: the default runtime's any-vendor and vendor rows, the runtimes' own rows, the rows of a
     * runtime on one vendor (its port to that vendor's software: vLLM on ROCm, on TPU), and the loss.
     */
    public record Fit(KernelEfficiency anyVendor, Map<String, KernelEfficiency> byVendor,
                      Map<String, KernelEfficiency> byRuntime, Map<String, Map<String, KernelEfficiency>> byRuntimeVendor,
                      double loss, int evaluations) {
        /** The catalog with exactly these runtime rows (no other fitted row survives, so nothing held out leaks in). */
        public Catalog applyTo(Catalog catalog) {
            Map<String, ServingRuntime> runtimes = new TreeMap<>();
            // (ServingRuntime keeps its own copy of the vendor rows)
            runtimes.put(ServingRuntime.DEFAULT, new ServingRuntime(ServingRuntime.DEFAULT, byVendor, anyVendor));
            byRuntime.forEach((id, k) -> runtimes.put(id, new ServingRuntime(id, byRuntimeVendor.getOrDefault(id, Map.of()), k)));
            return catalog.withRuntimes(runtimes);
        }

        static Fit of(KernelEfficiency any, Map<String, KernelEfficiency> byVendor, Map<String, KernelEfficiency> byRuntime,
                      Map<String, Map<String, KernelEfficiency>> byRuntimeVendor) {
            return new Fit(any, byVendor, byRuntime, byRuntimeVendor, 0, 0);
        }
    }

    /**
     * Fits the kernel efficiencies, from the general to the particular: the default runtime's any-vendor row on
     * every row; then each serving runtime with at least {@link #MIN_GROUP_ROWS} rows its own row, on its rows
     * (whatever their vendor: a runtime's software quality), and each vendor port of a runtime measured on several
     * vendors, with enough rows of its own, a row refitted from the runtime's (vLLM on ROCm is not vLLM on TPU);
     * then each vendor its own default-runtime row, on the rows of its most-measured runtime when they are enough
     * (that stack's software as measured: what sweeps use for the vendor's devices). A row is predicted with its
     * runtime's port to its vendor, else the runtime's row, else its vendor's default row. The particular rows refit GEMM, bandwidth and all-reduce
     * efficiency and the step time; the rest stays global. Least squares on log(predicted / measured) by Nelder-Mead
     * within physical bounds, started from the catalog's default values.
     */
    public static Fit fit(List<ReferenceMeasurement> rows, Catalog catalog, EngineSettings cfg) {
        int[] evals = {0};
        KernelEfficiency any = fitAnyVendor(rows, catalog, cfg, evals);
        Catalog bare = Fit.of(any, Map.of(), Map.of(), Map.of()).applyTo(catalog);

        Map<String, List<ReferenceMeasurement>> byRuntimeRows = group(rows, ReferenceMeasurement::runtime);
        Map<String, KernelEfficiency> byRuntime = new TreeMap<>();
        Map<String, Map<String, KernelEfficiency>> byRuntimeVendor = new TreeMap<>();
        for (var e : byRuntimeRows.entrySet()) {
            String runtime = e.getKey();
            if (e.getValue().size() < MIN_GROUP_ROWS || runtime.equals(ServingRuntime.DEFAULT)) continue;
            KernelEfficiency from = any.as(runtime, ServingRuntime.ANY_VENDOR);
            KernelEfficiency own = refit(from, e.getValue(), PARTICULAR,
                    k -> Fit.of(any, Map.of(), Map.of(runtime, k), Map.of()).applyTo(bare), cfg, evals, 300);
            byRuntime.put(runtime, own);
            // a runtime measured on several vendors is several ports (vLLM on CUDA, ROCm, TPU, Neuron): each its own row
            Map<String, List<ReferenceMeasurement>> ports = group(e.getValue(), ReferenceMeasurement::vendor);
            if (ports.size() < 2) continue;
            for (var p : ports.entrySet()) {
                if (p.getValue().size() < MIN_GROUP_ROWS) continue;
                KernelEfficiency pFrom = own.as(runtime, p.getKey());
                KernelEfficiency port = refit(pFrom, p.getValue(), PARTICULAR,
                        k -> Fit.of(any, Map.of(), Map.of(runtime, own), Map.of(runtime, Map.of(p.getKey(), k))).applyTo(bare), cfg, evals, 300);
                byRuntimeVendor.computeIfAbsent(runtime, x -> new TreeMap<>()).put(p.getKey(), port);
            }
        }
        // a vendor's default row (what sweeps use on its devices) is its most-measured serving stack as measured: one
        // stack, so that a few rows of a younger one (DeepSeek-R1 on vLLM 0.7 / SGLang 0.4 on H200) do not move it
        Map<String, KernelEfficiency> byVendor = new TreeMap<>();
        for (var e : group(rows, ReferenceMeasurement::vendor).entrySet()) {
            List<ReferenceMeasurement> own = mainRuntimeRows(e.getValue());
            if (own.size() < MIN_GROUP_ROWS) continue;
            KernelEfficiency from = any.as(ServingRuntime.DEFAULT, e.getKey());
            byVendor.put(e.getKey(), refit(from, own, PARTICULAR,
                    k -> Fit.of(any, Map.of(e.getKey(), k), Map.of(), Map.of()).applyTo(bare), cfg, evals, 300));
        }
        Fit fit = Fit.of(any, byVendor, byRuntime, byRuntimeVendor);
        return new Fit(any, byVendor, byRuntime, byRuntimeVendor, loss(rows, fit.applyTo(catalog), cfg), evals[0]);
    }

    /**
     * One row for every runtime and vendor, fitted on all the rows given: the first step of {@link #fit} alone. Its
     * in-sample error is what the reference set allows a prediction blind to runtime and vendor to reach even on rows
     * it has seen; a vendor held out is predicted by such a row fitted without it.
     */
    public static Fit fitPooled(List<ReferenceMeasurement> rows, Catalog catalog, EngineSettings cfg) {
        int[] evals = {0};
        KernelEfficiency any = fitAnyVendor(rows, catalog, cfg, evals);
        return new Fit(any, Map.of(), Map.of(), Map.of(), loss(rows, Fit.of(any, Map.of(), Map.of(), Map.of()).applyTo(catalog), cfg), evals[0]);
    }

    private static KernelEfficiency fitAnyVendor(List<ReferenceMeasurement> rows, Catalog catalog, EngineSettings cfg, int[] evals) {
        KernelEfficiency start = catalog.runtime(ServingRuntime.DEFAULT).anyVendor();
        Catalog bare = Fit.of(start, Map.of(), Map.of(), Map.of()).applyTo(catalog);
        return refit(start, rows, GLOBAL, k -> Fit.of(k, Map.of(), Map.of(), Map.of()).applyTo(bare), cfg, evals, 700);
    }

    /** Refits the parameters {@code which} of one row on its group's rows; the others keep their values. */
    private static KernelEfficiency refit(KernelEfficiency from, List<ReferenceMeasurement> rows, int[] which,
                                          Function<KernelEfficiency, Catalog> with, EngineSettings cfg, int[] evals, int maxEvaluations) {
        double[] full = from.toArray();
        double[] sub = new double[which.length];
        for (int i = 0; i < sub.length; i++) sub[i] = full[which[i]];
        double[] best = nelderMead(q -> {
            evals[0]++;
            return loss(rows, with.apply(from.with(clamp(expand(full, which, q)))), cfg);
        }, sub, maxEvaluations);
        return from.with(clamp(expand(full, which, best)));
    }

    /** The rows of the runtime measured most often among these (ties: the first by name). */
    static List<ReferenceMeasurement> mainRuntimeRows(List<ReferenceMeasurement> rows) {
        List<ReferenceMeasurement> best = List.of();
        for (List<ReferenceMeasurement> g : group(rows, ReferenceMeasurement::runtime).values()) if (g.size() > best.size()) best = g;
        return best;
    }

    private static Map<String, List<ReferenceMeasurement>> group(List<ReferenceMeasurement> rows, Function<ReferenceMeasurement, String> key) {
        Map<String, List<ReferenceMeasurement>> out = new TreeMap<>();
        for (ReferenceMeasurement r : rows) out.computeIfAbsent(key.apply(r), v -> new ArrayList<>()).add(r);
        return out;
    }

    private static double[] expand(double[] full, int[] which, double[] sub) {
        double[] p = full.clone();
        for (int i = 0; i < sub.length; i++) p[which[i]] = sub[i];
        return p;
    }

    /** Mean squared log ratio of predicted to measured; a configuration that does not fit counts as a 1000x miss. */
    static double loss(List<ReferenceMeasurement> rows, Catalog c, EngineSettings cfg) {
        double sum = 0;
        for (ReferenceMeasurement r : rows) {
            Row row = predict(r, c, cfg, "");
            double lr = row.predicted() > 0 ? Math.log(row.predicted() / r.value()) : Math.log(1e-3);
            sum += lr * lr;
        }
        return sum / Math.max(1, rows.size());
    }

    private static double[] clamp(double[] p) {
        double[] c = new double[p.length];
        for (int i = 0; i < p.length; i++) c[i] = Math.min(HIGH[i], Math.max(LOW[i], p[i]));
        return c;
    }

    /** Nelder-Mead simplex minimisation (standard coefficients), in the parameters' own units. */
    static double[] nelderMead(Function<double[], Double> f, double[] start, int maxEvaluations) {
        int n = start.length;
        double[][] simplex = new double[n + 1][];
        double[] values = new double[n + 1];
        simplex[0] = start.clone();
        for (int i = 0; i < n; i++) {
            double[] v = start.clone();
            v[i] = v[i] != 0 ? v[i] * 1.25 : 0.05;
            simplex[i + 1] = v;
        }
        for (int i = 0; i <= n; i++) values[i] = f.apply(simplex[i]);
        int evaluations = n + 1;
        while (evaluations < maxEvaluations) {
            Integer[] order = new Integer[n + 1];
            for (int i = 0; i <= n; i++) order[i] = i;
            final double[] vs = values;
            Arrays.sort(order, (a, b) -> Double.compare(vs[a], vs[b]));
            double[][] s2 = new double[n + 1][];
            double[] v2 = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                s2[i] = simplex[order[i]];
                v2[i] = values[order[i]];
            }
            simplex = s2;
            values = v2;
            if (Math.abs(values[n] - values[0]) < 1e-10) break;
            double[] centroid = new double[n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) centroid[j] += simplex[i][j] / n;
            double[] reflected = affine(centroid, simplex[n], -1.0);
            double fr = f.apply(reflected);
            evaluations++;
            if (fr < values[0]) {
                double[] expanded = affine(centroid, simplex[n], -2.0);
                double fe = f.apply(expanded);
                evaluations++;
                if (fe < fr) {
                    simplex[n] = expanded;
                    values[n] = fe;
                } else {
                    simplex[n] = reflected;
                    values[n] = fr;
                }
            } else if (fr < values[n - 1]) {
                simplex[n] = reflected;
                values[n] = fr;
            } else {
                double[] contracted = affine(centroid, simplex[n], 0.5);
                double fc = f.apply(contracted);
                evaluations++;
                if (fc < values[n]) {
                    simplex[n] = contracted;
                    values[n] = fc;
                } else {
                    for (int i = 1; i <= n; i++) {
                        simplex[i] = affine(simplex[0], simplex[i], 0.5);
                        values[i] = f.apply(simplex[i]);
                        evaluations++;
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i <= n; i++) if (values[i] < values[best]) best = i;
        return simplex[best];
    }

    /** centroid + t * (point - centroid). */
    private static double[] affine(double[] centroid, double[] point, double t) {
        double[] out = new double[centroid.length];
        for (int i = 0; i < out.length; i++) out[i] = centroid[i] + t * (point[i] - centroid[i]);
        return out;
    }

    // ---- cross-validation ---------------------------------------------------------------------------------

    /** Held-out predictions, one fold per distinct key: fit on the other folds' rows, predict this fold's. */
    public static List<Row> crossValidate(List<ReferenceMeasurement> rows, Catalog catalog, EngineSettings cfg,
                                          Function<ReferenceMeasurement, String> foldOf, String foldKind) {
        Map<String, List<ReferenceMeasurement>> folds = new LinkedHashMap<>();
        for (ReferenceMeasurement r : rows) folds.computeIfAbsent(foldOf.apply(r), k -> new ArrayList<>()).add(r);
        List<Row> out = new ArrayList<>();
        for (var e : folds.entrySet()) {
            List<ReferenceMeasurement> train = rows.stream().filter(r -> !foldOf.apply(r).equals(e.getKey())).toList();
            Fit fit = fit(train, catalog, cfg);
            out.addAll(predictAll(e.getValue(), fit.applyTo(catalog), cfg, foldKind + ":" + e.getKey()));
        }
        return out;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        if (n == 0) return 0.0;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
