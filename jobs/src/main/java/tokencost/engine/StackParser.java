package tokencost.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tokencost.catalog.Catalog;
import tokencost.catalog.ComputePrecision;
import tokencost.catalog.Lever;
import tokencost.catalog.ServingRuntime;

/**
 * Turns "fp8,continuous-batching,speculative-decoding:k=4,alpha=0.7" into an {@link OptimizationStack}.
 * Levers of one precision category are alternatives and cannot stack; a lever that needs another
 * (prefix caching needs paged KV blocks when the catalog says so) is refused without it.
 */
public final class StackParser {

    private static final Map<String, String> ALIASES = Map.of("fp16", "bf16");
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
                        putOverride(chosen.get(current), current, token, errors);
                    }
                    continue;
                }
                String lever = token;
                String params = null;
                int colon = token.indexOf(':');
                if (colon >= 0) {
                    lever = token.substring(0, colon).trim();
                    params = token.substring(colon + 1).trim();
                }
                lever = ALIASES.getOrDefault(lever, lever);
                if (!catalog.levers().containsKey(lever)) {
                    errors.add("unknown optimization '" + lever + "' (known: " + String.join(", ", catalog.levers().keySet())
                            + ", fp16 as an alias of bf16)");
                    current = null;
                    continue;
                }
                if (chosen.containsKey(lever)) {
                    errors.add("optimization '" + lever + "' is given twice");
                }
                chosen.put(lever, new LinkedHashMap<>());
                current = lever;
                if (params != null && !params.isEmpty()) putOverride(chosen.get(lever), lever, params, errors);
            }
        }
        checkStacking(chosen, catalog, errors);
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("; ", errors));
        return build(chosen, catalog, catalog.runtime(runtimeId));
    }

    private static void putOverride(Map<String, String> into, String lever, String token, List<String> errors) {
        int eq = token.indexOf('=');
        if (eq < 0) {
            errors.add("'" + token + "' is not key=value");
            return;
        }
        String key = token.substring(0, eq).trim();
        if (!lever.equals("speculative-decoding") || !SPEC_KEYS.contains(key)) {
            errors.add("'" + lever + "' takes no parameter '" + key + "'"
                    + (lever.equals("speculative-decoding") ? " (it takes " + SPEC_KEYS + ")" : ""));
            return;
        }
        into.put(key, token.substring(eq + 1).trim());
    }

    private static void checkStacking(Map<String, Map<String, String>> chosen, Catalog catalog, List<String> errors) {
        Map<String, String> byCategory = new LinkedHashMap<>();
        for (String lever : chosen.keySet()) {
            String cat = catalog.levers().get(lever).category();
            if (cat.equals("weight_precision") || cat.equals("kv_precision")) {
                String other = byCategory.putIfAbsent(cat, lever);
                if (other != null) {
                    errors.add("'" + other + "' and '" + lever + "' cannot stack: both set the "
                            + cat.replace('_', ' ') + ", pick one");
                }
            }
        }
        Lever prefix = catalog.levers().get("prefix-cache");
        if (chosen.containsKey("prefix-cache") && !chosen.containsKey("paged-kv")
                && prefix.parameters().getOrDefault("requires_paged_kv", 0.0) > 0) {
            errors.add("'prefix-cache' needs 'paged-kv': prefix caches share KV blocks, which needs paged allocation");
        }
    }

    private static OptimizationStack build(Map<String, Map<String, String>> chosen, Catalog catalog, ServingRuntime runtime) {
        Map<String, Lever> levers = catalog.levers();
        double baselineBits = levers.get("bf16").param("weight_bits");

        String weightLever = "bf16";
        String kvLever = null;
        for (String lever : chosen.keySet()) {
            String cat = levers.get(lever).category();
            if (cat.equals("weight_precision")) weightLever = lever;
            if (cat.equals("kv_precision")) kvLever = lever;
        }
        Lever w = levers.get(weightLever);
        double weightBits = w.param("weight_bits");
        double scaleBits = w.parameters().containsKey("group_size")
                ? w.param("scale_bits_per_group") / w.param("group_size") : 0.0;
        ComputePrecision compute = switch (weightLever) {
            case "fp8" -> ComputePrecision.FP8;
            case "int8" -> ComputePrecision.INT8;
            case "fp4" -> ComputePrecision.FP4;
            default -> ComputePrecision.BF16; // bf16, and int4/q4_0/q8_0 = weight-only (W4A16): dequantize, compute in 16 bits
        };
        double kvBits = kvLever == null ? baselineBits : levers.get(kvLever).param("kv_bits");

        boolean cb = chosen.containsKey("continuous-batching");
        boolean fa = chosen.containsKey("flash-attention");
        boolean paged = chosen.containsKey("paged-kv");
        Lever pagedLever = levers.get("paged-kv");
        double kvUtil = paged ? pagedLever.param("paged_kv_utilization") : pagedLever.param("contiguous_kv_utilization");

        boolean spec = chosen.containsKey("speculative-decoding");
        Lever sl = levers.get("speculative-decoding");
        int k = (int) Math.round(sl.param("draft_tokens"));
        double alpha = sl.param("acceptance_rate");
        double draftLayers = sl.param("draft_layers");
        List<String> errors = new ArrayList<>();
        if (spec) {
            Map<String, String> o = chosen.get("speculative-decoding");
            if (o.containsKey("k")) k = parseInt(o.get("k"), "k", errors);
            if (o.containsKey("alpha")) alpha = parseDouble(o.get("alpha"), "alpha", errors);
            if (o.containsKey("draft_layers")) draftLayers = parseDouble(o.get("draft_layers"), "draft_layers", errors);
            if (k < 1) errors.add("speculative-decoding k must be at least 1, got " + k);
            if (!(alpha >= 0 && alpha < 1)) errors.add("speculative-decoding alpha must be in [0, 1), got " + alpha);
            if (!(draftLayers > 0)) errors.add("speculative-decoding draft_layers must be above 0, got " + draftLayers);
        }
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("; ", errors));

        List<String> names = new ArrayList<>();
        if (!chosen.containsKey(weightLever)) names.add(weightLever);
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
                cb, levers.get("continuous-batching").param("static_batch_slot_utilization"),
                fa, levers.get("flash-attention").param("standard_attention_hbm_passes"),
                paged, kvUtil, chosen.containsKey("prefix-cache"),
                spec, k, alpha, draftLayers,
                runtime);
    }

    /** Precision first, then KV precision, then the rest alphabetically: "fp8+fp8-kv+continuous-batching+paged-kv". */
    private static int categoryRank(String category) {
        return switch (category) {
            case "weight_precision" -> 0;
            case "kv_precision" -> 1;
            default -> 2;
        };
    }

    private static int parseInt(String s, String name, List<String> errors) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            errors.add("speculative-decoding " + name + " must be a whole number, got '" + s + "'");
            return 1;
        }
    }

    private static double parseDouble(String s, String name, List<String> errors) {
        try {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            errors.add("speculative-decoding " + name + " must be a number, got '" + s + "'");
            return 0.5;
        }
    }
}
