package tokencost.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tokencost.catalog.Catalog;
import tokencost.catalog.ComputePrecision;
import tokencost.catalog.Lever;
import tokencost.catalog.LeverCategory;
import tokencost.catalog.ServingRuntime;

/**
 * Turns "fp8,continuous-batching,speculative-decoding:k=4,alpha=0.7" into an {@link OptimizationStack}.
 * Levers of one precision category are alternatives and cannot stack; a lever that needs another
 * (prefix caching needs paged KV blocks when the catalog says so) is refused without it. What a lever does comes from
 * its row in datasets/optimizations.csv (category, compute precision, baseline, aliases, parameters), never its id.
 */
public final class StackParser {

    /** Command-line keys of a speculative lever's parameters: draft_tokens, acceptance_rate, draft_layers. */
    private static final List<String> SPEC_KEYS = List.of("k", "alpha", "draft_layers");

    private StackParser() {}

    /** The levers served by the default runtime (datasets/runtimes.csv). */
    public static OptimizationStack parse(String spec, Catalog catalog) {
        return parse(spec, catalog, ServingRuntime.DEFAULT);
    }

    public static OptimizationStack parse(String spec, Catalog catalog, String runtimeId) {
        Map<String, Map<String, String>> chosen = new LinkedHashMap<>();
        String current = null;
        List<String> errors = new ArrayList<>();
        if (spec != null && !spec.isBlank()) {
            for (String raw : spec.split(",")) {
                String token = raw.trim();
                if (token.isEmpty()) continue;
                if (token.contains("=") && !token.contains(":")) {
                    if (current == null) {
                        errors.add("'" + token + "' is a parameter but no lever comes before it");
                    } else {
                        putOverride(chosen.get(current), catalog.levers().get(current), token, errors);
                    }
                    continue;
                }
                String name = token;
                String params = null;
                int colon = token.indexOf(':');
                if (colon >= 0) {
                    name = token.substring(0, colon).trim();
                    params = token.substring(colon + 1).trim();
                }
                Lever l = catalog.lever(name);
                if (l == null) {
                    errors.add("unknown optimization '" + name + "' (known: " + String.join(", ", catalog.levers().keySet())
                            + aliasNote(catalog) + ")");
                    current = null;
                    continue;
                }
                String lever = l.id();
                if (chosen.containsKey(lever)) {
                    errors.add("optimization '" + lever + "' is given twice");
                }
                chosen.put(lever, new LinkedHashMap<>());
                current = lever;
                if (params != null && !params.isEmpty()) putOverride(chosen.get(lever), l, params, errors);
            }
        }
        checkStacking(chosen, catalog, errors);
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("; ", errors));
        return build(chosen, catalog, catalog.runtime(runtimeId));
    }

    /** ", fp16 as an alias of bf16" for each alias in the catalog. */
    private static String aliasNote(Catalog catalog) {
        StringBuilder sb = new StringBuilder();
        for (Lever l : catalog.levers().values()) {
            for (String a : l.aliases()) sb.append(", ").append(a).append(" as an alias of ").append(l.id());
        }
        return sb.toString();
    }

    /** Only a speculative lever takes parameters on the command line: its draft length, acceptance and depth. */
    private static void putOverride(Map<String, String> into, Lever lever, String token, List<String> errors) {
        int eq = token.indexOf('=');
        if (eq < 0) {
            errors.add("'" + token + "' is not key=value");
            return;
        }
        String key = token.substring(0, eq).trim();
        boolean speculative = lever.category() == LeverCategory.SPECULATIVE;
        if (!speculative || !SPEC_KEYS.contains(key)) {
            errors.add("'" + lever.id() + "' takes no parameter '" + key + "'"
                    + (speculative ? " (it takes " + SPEC_KEYS + ")" : ""));
            return;
        }
        into.put(key, token.substring(eq + 1).trim());
    }

    private static void checkStacking(Map<String, Map<String, String>> chosen, Catalog catalog, List<String> errors) {
        Map<LeverCategory, String> byCategory = new java.util.EnumMap<>(LeverCategory.class);
        for (String lever : chosen.keySet()) {
            LeverCategory cat = catalog.levers().get(lever).category();
            if (cat.count() == LeverCategory.Count.ALTERNATIVES) {
                String other = byCategory.putIfAbsent(cat, lever);
                if (other != null) {
                    errors.add("'" + other + "' and '" + lever + "' cannot stack: both set the "
                            + cat.label().replace('_', ' ') + ", pick one");
                }
            }
        }
        for (String lever : chosen.keySet()) {
            LeverCategory needs = catalog.levers().get(lever).requiredCategory();
            if (needs == null) continue;
            String other = catalog.only(needs).id();
            if (!chosen.containsKey(other)) {
                errors.add("'" + lever + "' needs '" + other + "': prefix caches share KV blocks, which needs paged allocation");
            }
        }
    }

    /** The levers a lever needs beside it in a stack (prefix caching: the paged KV lever), as ids. */
    public static List<String> requirements(String lever, Catalog catalog) {
        LeverCategory needs = catalog.levers().get(lever).requiredCategory();
        return needs == null ? List.of() : List.of(catalog.only(needs).id());
    }

    private static OptimizationStack build(Map<String, Map<String, String>> chosen, Catalog catalog, ServingRuntime runtime) {
        Map<String, Lever> levers = catalog.levers();
        Lever baseline = catalog.baselineWeights();
        double baselineBits = baseline.param("weight_bits");

        Lever w = baseline;
        Lever kvLever = null;
        for (String lever : chosen.keySet()) {
            Lever l = levers.get(lever);
            if (l.category() == LeverCategory.WEIGHT_PRECISION) w = l;
            if (l.category() == LeverCategory.KV_PRECISION) kvLever = l;
        }
        double weightBits = w.param("weight_bits");
        double scaleBits = w.parameters().containsKey("group_size")
                ? w.param("scale_bits_per_group") / w.param("group_size") : 0.0;
        // W8A8 formats compute in their own format; weight-only ones (W4A16, GGUF) dequantize and compute in 16 bits
        ComputePrecision compute = w.computePrecision();
        double kvBits = kvLever == null ? baselineBits : kvLever.param("kv_bits");

        // the categories of one lever: the lever is on or off, and its row also says what "off" costs
        Lever batching = catalog.only(LeverCategory.BATCHING);
        Lever attention = catalog.only(LeverCategory.ATTENTION);
        Lever kvMemory = catalog.only(LeverCategory.KV_MEMORY);
        Lever prefix = catalog.only(LeverCategory.PREFIX);
        Lever sl = catalog.only(LeverCategory.SPECULATIVE);
        boolean cb = chosen.containsKey(batching.id());
        boolean fa = chosen.containsKey(attention.id());
        boolean paged = chosen.containsKey(kvMemory.id());
        double kvUtil = paged ? kvMemory.param("paged_kv_utilization") : kvMemory.param("contiguous_kv_utilization");

        boolean spec = chosen.containsKey(sl.id());
        int k = (int) Math.round(sl.param("draft_tokens"));
        double alpha = sl.param("acceptance_rate");
        double draftLayers = sl.param("draft_layers");
        List<String> errors = new ArrayList<>();
        if (spec) {
            String id = sl.id();
            Map<String, String> o = chosen.get(id);
            if (o.containsKey("k")) k = parseInt(id, o.get("k"), "k", errors);
            if (o.containsKey("alpha")) alpha = parseDouble(id, o.get("alpha"), "alpha", errors);
            if (o.containsKey("draft_layers")) draftLayers = parseDouble(id, o.get("draft_layers"), "draft_layers", errors);
            if (k < 1) errors.add(id + " k must be at least 1, got " + k);
            if (!(alpha >= 0 && alpha < 1)) errors.add(id + " alpha must be in [0, 1), got " + alpha);
            if (!(draftLayers > 0)) errors.add(id + " draft_layers must be above 0, got " + draftLayers);
        }
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("; ", errors));

        List<String> names = new ArrayList<>();
        if (!chosen.containsKey(w.id())) names.add(w.id());
        for (String lever : levers.keySet()) {
            if (!chosen.containsKey(lever)) continue;

            Map<String, String> o = chosen.get(lever);
            if (o.isEmpty()) {
                names.add(lever);
            } else {
                List<String> kv = new ArrayList<>();
                o.forEach((key, v) -> kv.add(key + "=" + v));
                names.add(lever + ":" + String.join(",", kv));
            }
        }
        names.sort(java.util.Comparator.comparingInt((String n) -> categoryRank(levers.get(n.split(":")[0]).category()))
                .thenComparing(java.util.Comparator.naturalOrder()));
        return new OptimizationStack(String.join("+", names), List.copyOf(names),
                weightBits, scaleBits, baselineBits, compute, kvBits,
                cb, batching.param("static_batch_slot_utilization"),
                fa, attention.param("standard_attention_hbm_passes"),
                paged, kvUtil, chosen.containsKey(prefix.id()),
                spec, k, alpha, draftLayers,
                runtime);
    }

    /** Precision first, then KV precision, then the rest alphabetically: "fp8+fp8-kv+continuous-batching+paged-kv". */
    private static int categoryRank(LeverCategory category) {
        return switch (category) {
            case WEIGHT_PRECISION -> 0;
            case KV_PRECISION -> 1;
            default -> 2;
        };
    }

    private static int parseInt(String lever, String s, String name, List<String> errors) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            errors.add(lever + " " + name + " must be a whole number, got '" + s + "'");
            return 1;
        }
    }

    private static double parseDouble(String lever, String s, String name, List<String> errors) {
        try {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            errors.add(lever + " " + name + " must be a number, got '" + s + "'");
            return 0.5;
        }
    }
}
