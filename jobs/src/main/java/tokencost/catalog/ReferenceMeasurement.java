package tokencost.catalog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One published serving measurement the engine is validated against
 * (datasets/calibration/reference-measurements.tsv): what ran (model, hardware, devices, precisions, runtime,
 * request shape, batch or {@code max}), which regime it probes, what was measured, and where it was published.
 *
 * @param batch    the fixed batch / concurrency of the benchmark, or 0 for {@code max} (the runtime chose: offline)
 * @param batching {@code continuous} (iteration-level scheduling) or {@code static} (a batch of equal requests run
 *                 together: prompts first, then decode steps; llama.cpp, transformers-neuronx, gptSessionBenchmark)
 * @param prompts  requests the benchmark sent in all (vllm/sglang {@code --num-prompts}), where the source states it;
 *                 0 when it does not. With the concurrency ({@code batch}) it sizes the start-up burst in a mean TTFT
 *                 (recorded; the validation does not use it yet: datasets/SOURCES.md)
 * @param tokenBudget the scheduler's tokens per iteration (vLLM {@code --max-num-batched-tokens}, SGLang
 *                 {@code --chunked-prefill-size}, AI Hub's prompt-processor length) where the source states it; 0 when
 *                 it does not; the validation predicts a row at its budget, else at the conf's
 *                 {@code tokencost.engine.max-prefill-tokens}
 */
public record ReferenceMeasurement(int line, String rowId, String vendor, String model, String hardware, int devices,
                                   String weightPrecision, String kvPrecision, String runtime, int inputTokens,
                                   int outputTokens, int batch, String regime, String metric, double value,
                                   String source, String batching, int prompts, int tokenBudget, String notes) {

    public static final String FILE = "calibration/reference-measurements.tsv";
    public static final List<String> HEADER = List.of("row_id", "vendor", "model", "hardware", "devices",
            "weight_precision", "kv_precision", "runtime", "input_tokens", "output_tokens", "batch", "regime", "metric",
            "value", "source", "batching", "prompts", "token_budget", "notes");
    public static final List<String> BATCHING = List.of("continuous", "static");
    public static final List<String> REGIMES = List.of("batch1-latency", "decode-heavy", "prefill-heavy", "offline");
    public static final List<String> METRICS = List.of("output_tok_s", "total_tok_s", "tpot_ms", "ttft_ms", "prefill_tok_s");
    public static final List<String> KV_PRECISIONS = List.of("bf16", "fp16", "fp8", "int8");

    public boolean staticBatching() {
        return batching.equals("static");
    }

    /** Whether the benchmark let the runtime choose the batch (offline, maximum throughput). */
    public boolean maxBatch() {
        return batch == 0;
    }

    /**
     * Reads the tab-separated table ('#' lines are comments); every problem is reported at once. With a null catalog
     * (one that could not be loaded) the file is checked alone, without its references to models and hardware.
     */
    public static List<ReferenceMeasurement> load(CatalogSource source, Catalog catalog) {
        String name = source.describe(FILE);
        byte[] bytes = source.read(FILE);
        if (bytes == null) throw new InvalidInputException(List.of(new Problem(name, 0, null, source.whyNot(FILE))));
        List<Problem> problems = new ArrayList<>();
        List<ReferenceMeasurement> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        boolean headerSeen = false;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            int lineNo = i + 1;
            if (l.isBlank() || l.startsWith("#")) continue;
            String[] f = l.split("\t", -1);
            if (!headerSeen) {
                if (!List.of(f).equals(HEADER)) problems.add(new Problem(name, lineNo, null, "header must be " + String.join("\\t", HEADER)));
                headerSeen = true;
                continue;
            }
            if (f.length != HEADER.size()) {
                problems.add(new Problem(name, lineNo, null, "has " + f.length + " tab-separated fields, expected " + HEADER.size()));
                continue;
            }
            int before = problems.size();
            int devices = positiveInt(f[4], name, lineNo, "devices", problems);
            int in = positiveInt(f[8], name, lineNo, "input_tokens", problems);
            int outTokens = positiveInt(f[9], name, lineNo, "output_tokens", problems);
            int batch = f[10].equals("max") ? 0 : positiveInt(f[10], name, lineNo, "batch", problems);
            double value = positiveDouble(f[13], name, lineNo, "value", problems);
            int prompts = f[16].isBlank() ? 0 : positiveInt(f[16], name, lineNo, "prompts", problems);
            int tokenBudget = f[17].isBlank() ? 0 : positiveInt(f[17], name, lineNo, "token_budget", problems);
            if (!ids.add(f[0])) problems.add(new Problem(name, lineNo, "row_id", "duplicate row_id '" + f[0] + "'"));
            if (catalog != null) { // without one (it could not be loaded) the file is checked alone
                if (!catalog.models().containsKey(f[2])) {
                    problems.add(new Problem(name, lineNo, "model", "refers to unknown model " + Problem.quote(f[2])
                            + Scenario.suggestion(f[2], catalog.models().keySet())));
                }
                if (!catalog.hardware().containsKey(f[3])) {
                    problems.add(new Problem(name, lineNo, "hardware", "refers to unknown hardware " + Problem.quote(f[3])
                            + Scenario.suggestion(f[3], catalog.hardware().keySet())));
                } else if (!catalog.hardware().get(f[3]).vendor().equals(f[1])) {
                    problems.add(new Problem(name, lineNo, "vendor", "'" + f[1] + "' is not the vendor of " + f[3] + " ("
                            + catalog.hardware().get(f[3]).vendor() + ")"));
                }
            }
            // a weight precision is a lever of the catalog's (or an alias: fp16)
            if (catalog != null) oneOf(f[5], weightPrecisions(catalog), name, lineNo, "weight_precision", problems);
            oneOf(f[6], KV_PRECISIONS, name, lineNo, "kv_precision", problems);
            oneOf(f[11], REGIMES, name, lineNo, "regime", problems);
            oneOf(f[12], METRICS, name, lineNo, "metric", problems);
            if (f[7].isBlank()) problems.add(new Problem(name, lineNo, "runtime", "is empty"));
            oneOf(f[15], BATCHING, name, lineNo, "batching", problems);
            if (f[14].isBlank()) problems.add(new Problem(name, lineNo, "source", "is empty: every measurement needs its citation"));
            if (problems.size() == before) {
                out.add(new ReferenceMeasurement(lineNo, f[0], f[1], f[2], f[3], devices, f[5], f[6], f[7], in, outTokens,
                        batch, f[11], f[12], value, f[14], f[15], prompts, tokenBudget, f[18]));
            }
        }
        if (!headerSeen) problems.add(new Problem(name, 0, null, "no header line"));
        if (!problems.isEmpty()) throw new InvalidInputException(problems);
        return out;
    }

    /** The ids and aliases of the catalog's weight-precision levers. */
    static List<String> weightPrecisions(Catalog catalog) {
        List<String> out = new ArrayList<>();
        for (Lever l : catalog.levers().values()) {
            if (l.category() != LeverCategory.WEIGHT_PRECISION) continue;
            out.add(l.id());
            out.addAll(l.aliases());
        }
        return out;
    }

    private static void oneOf(String v, List<String> allowed, String file, int line, String field, List<Problem> problems) {
        if (!allowed.contains(v)) problems.add(new Problem(file, line, field, "'" + v + "' is not one of " + String.join(", ", allowed)));
    }

    private static int positiveInt(String v, String file, int line, String field, List<Problem> problems) {
        try {
            int i = WholeNumbers.parseInt(v);
            if (i >= 1) return i;
            problems.add(new Problem(file, line, field, "must be at least 1, got " + v));
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(file, line, field, e.getMessage()));
        }
        return 1;
    }

    private static double positiveDouble(String v, String file, int line, String field, List<Problem> problems) {
        try {
            double d = Double.parseDouble(v.strip());
            if (Double.isFinite(d) && d > 0) return d;
            problems.add(new Problem(file, line, field, "must be a finite number above 0, got " + v));
        } catch (NumberFormatException e) {
            problems.add(new Problem(file, line, field, "'" + v + "' is not a number"));
        }
        return 1;
    }
}
