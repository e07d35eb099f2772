package tokencost.catalog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The reference catalogs — models, hardware, workloads, optimization levers — loaded and validated
 * together. Any problem in any file means no catalog: {@link InvalidInputException} lists them all.
 */
public record Catalog(Map<String, Model> models, Map<String, Hardware> hardware,
                      Map<String, Workload> workloads, Map<String, Lever> levers,
                      Map<String, ServingRuntime> runtimes) implements java.io.Serializable {

    public static final String MODELS = "models.csv";
    public static final String HARDWARE = "hardware.csv";
    public static final String WORKLOADS = "workloads.csv";
    public static final String OPTIMIZATIONS = "optimizations.csv";
    public static final String RUNTIMES = "runtimes.csv";

    public static Catalog load(CatalogSource source) {
        List<Problem> problems = new ArrayList<>();
        List<AvroCsvLoader.Loaded> m = read(source, MODELS, "models", problems);
        List<AvroCsvLoader.Loaded> h = read(source, HARDWARE, "hardware", problems);
        List<AvroCsvLoader.Loaded> w = read(source, WORKLOADS, "workloads", problems);
        List<AvroCsvLoader.Loaded> o = read(source, OPTIMIZATIONS, "optimizations", problems);
        List<AvroCsvLoader.Loaded> r = read(source, RUNTIMES, "runtimes", problems);

        Map<String, Model> models = new TreeMap<>();
        for (var l : m) {
            Model model = Model.from(l.record());
            checkModel(source.describe(MODELS), l.line(), model, problems);
            models.put(model.id(), model);
        }
        Map<String, Hardware> hardware = new TreeMap<>();
        for (var l : h) {
            Hardware hw = Hardware.from(l.record());
            if (hw.priceUsdPerHour() == null && hw.purchaseUsd() == null) {
                problems.add(new Problem(source.describe(HARDWARE), l.line(), "price_usd_per_hour",
                        "needs price_usd_per_hour or purchase_usd to compute a cost"));
            }
            if (hw.computeEfficiency() <= 0 || hw.memoryEfficiency() <= 0) {
                problems.add(new Problem(source.describe(HARDWARE), l.line(), "compute_efficiency",
                        "efficiency fractions must be above 0"));
            }
            hardware.put(hw.id(), hw);
        }
        Map<String, Workload> workloads = new TreeMap<>();
        for (var l : w) {
            Workload wl = Workload.from(l.record());
            if ((wl.ttftSloMs() == null) != (wl.tpotSloMs() == null)) {
                problems.add(new Problem(source.describe(WORKLOADS), l.line(), "ttft_slo_ms",
                        "give both ttft_slo_ms and tpot_slo_ms, or neither (no SLO)"));
            }
            workloads.put(wl.id(), wl);
        }
        Map<String, Lever> levers = levers(source.describe(OPTIMIZATIONS), o, problems);
        Map<String, ServingRuntime> runtimes = runtimes(source.describe(RUNTIMES), r, problems);

        if (!problems.isEmpty()) throw new InvalidInputException(problems);
        return new Catalog(Collections.unmodifiableMap(models), Collections.unmodifiableMap(hardware),
                Collections.unmodifiableMap(workloads), Collections.unmodifiableMap(levers),
                Collections.unmodifiableMap(runtimes));
    }

    public static Schema schema(String name) {
        byte[] bytes = CatalogSource.bundled().read("schemas/" + name + ".avsc");
        if (bytes == null) throw new IllegalStateException("schema datasets/schemas/" + name + ".avsc is not on the classpath");
        return new Schema.Parser().parse(new String(bytes, StandardCharsets.UTF_8));
    }

    private static List<AvroCsvLoader.Loaded> read(CatalogSource source, String file, String schemaName,
                                                  List<Problem> problems) {
        String name = source.describe(file);
        Schema schema;
        byte[] schemaBytes = source.read("schemas/" + schemaName + ".avsc");
        if (schemaBytes == null && !source.whyNot("schemas/" + schemaName + ".avsc").equals("file not found")) {
            // a schema that is there but cannot be read is not silently replaced by the bundled one
            problems.add(new Problem(source.describe("schemas/" + schemaName + ".avsc"), 0, null, source.whyNot("schemas/" + schemaName + ".avsc")));
            return List.of();
        }
        try {
            schema = schemaBytes == null ? schema(schemaName)
                    : new Schema.Parser().parse(new String(schemaBytes, StandardCharsets.UTF_8));
        } catch (SchemaParseException e) {
            problems.add(new Problem(source.describe("schemas/" + schemaName + ".avsc"), 0, null,
                    "not a valid Avro schema: " + e.getMessage()));
            return List.of();
        }
        byte[] bytes = source.read(file);
        if (bytes == null) {
            problems.add(new Problem(name, 0, null, source.whyNot(file)));
            return List.of();
        }
        return AvroCsvLoader.load(name, bytes, schema, problems);
    }

    private static void checkModel(String file, int line, Model m, List<Problem> problems) {
        if (m.paramsActiveB() > m.paramsTotalB()) {
            problems.add(new Problem(file, line, "params_active_b", "active parameters exceed total parameters"));
        }
        if (m.kvHeads() > m.attentionHeads()) {
            problems.add(new Problem(file, line, "kv_heads", "more KV heads than attention heads"));
        } else if (m.attentionHeads() % m.kvHeads() != 0) {
            problems.add(new Problem(file, line, "kv_heads", "attention_heads is not a multiple of kv_heads"));
        }
        if (m.attentionKind() == AttentionKind.MLA && (m.kvLoraRank() <= 0 || m.qkRopeHeadDim() <= 0)) {
            problems.add(new Problem(file, line, "kv_lora_rank", "MLA models need kv_lora_rank and qk_rope_head_dim above 0"));
        }
        if (m.attentionKind() == AttentionKind.MQA && m.kvHeads() != 1) {
            problems.add(new Problem(file, line, "kv_heads", "MQA means one KV head"));
        }
        if (m.attentionKind() == AttentionKind.MHA && m.kvHeads() != m.attentionHeads()) {
            problems.add(new Problem(file, line, "kv_heads", "MHA means as many KV heads as attention heads"));
        }
        boolean moe = m.moeExpertsTotal() > 0;
        if (moe) {
            if (m.moeExpertsActive() <= 0 || m.moeExpertsActive() >= m.moeExpertsTotal()) {
                problems.add(new Problem(file, line, "moe_experts_active",
                        "an MoE model routes each token to more than 0 and fewer than moe_experts_total experts"));
            }
            if (m.paramsActiveB() >= m.paramsTotalB()) {
                problems.add(new Problem(file, line, "params_active_b", "an MoE model has fewer active than total parameters"));
            }
        } else {
            if (m.moeExpertsActive() != 0 || m.moeExpertsShared() != 0) {
                problems.add(new Problem(file, line, "moe_experts_active", "set moe_experts_total for an MoE model, or 0s for a dense one"));
            }
            if (m.paramsActiveB() != m.paramsTotalB()) {
                problems.add(new Problem(file, line, "params_active_b", "a dense model's active parameters equal its total"));
            }
        }
        if ((m.slidingWindowTokens() > 0) != (m.slidingWindowLayerFraction() > 0)) {
            problems.add(new Problem(file, line, "sliding_window_layer_fraction",
                    "sliding_window_tokens and sliding_window_layer_fraction are both 0 or both above 0"));
        }
    }

    /** What one row says about its whole lever; every row of a lever must say the same. */
    private record LeverHead(int line, String category, String computePrecision, boolean baseline, String aliases) {}

    private static final java.util.regex.Pattern ALIAS = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]+");

    /**
     * Levers by id. What each means is data (category, compute precision, baseline, aliases, parameters); the checks
     * here are what the engine's reading of a category needs: its parameters, and how many levers it may have.
     */
    private static Map<String, Lever> levers(String file, List<AvroCsvLoader.Loaded> rows, List<Problem> problems) {
        Map<String, LeverHead> heads = new LinkedHashMap<>();
        Map<String, Map<String, Double>> params = new LinkedHashMap<>();
        for (var l : rows) {
            String id = Fields.str(l.record(), "lever_id");
            LeverHead h = new LeverHead(l.line(), Fields.str(l.record(), "category"), Fields.str(l.record(), "compute_precision"),
                    Boolean.TRUE.equals(l.record().get("baseline")), Fields.str(l.record(), "aliases"));
            LeverHead first = heads.putIfAbsent(id, h);
            if (first != null) {
                sameAsFirst(file, l.line(), id, "category", first.category(), h.category(), first.line(), problems);
                sameAsFirst(file, l.line(), id, "compute_precision", first.computePrecision(), h.computePrecision(), first.line(), problems);
                sameAsFirst(file, l.line(), id, "baseline", String.valueOf(first.baseline()), String.valueOf(h.baseline()), first.line(), problems);
                sameAsFirst(file, l.line(), id, "aliases", first.aliases(), h.aliases(), first.line(), problems);
            }
            params.computeIfAbsent(id, k -> new LinkedHashMap<>())
                    .put(Fields.str(l.record(), "parameter"), Fields.d(l.record(), "value"));
        }
        if (rows.isEmpty()) return Map.of();
        Map<String, Lever> out = new TreeMap<>();
        Map<String, String> names = new LinkedHashMap<>(); // every lever id and alias -> the lever it names
        for (String id : heads.keySet()) names.put(id, id);
        for (var e : heads.entrySet()) {
            String id = e.getKey();
            LeverHead h = e.getValue();
            LeverCategory cat;
            try {
                cat = LeverCategory.of(h.category());
            } catch (IllegalArgumentException notKnown) { // a user schema with a category the engine has no physics for
                problems.add(new Problem(file, h.line(), "category", Problem.quote(h.category()) + " is not a category the engine knows "
                        + labels(List.of(LeverCategory.values()))));
                continue;
            }
            ComputePrecision compute = computePrecision(file, id, h, cat, problems);
            if (h.baseline() && cat != LeverCategory.WEIGHT_PRECISION) {
                problems.add(new Problem(file, h.line(), "baseline", "only a weight_precision lever can be the baseline; '" + id
                        + "' is " + cat.label()));
            }
            List<String> aliases = aliases(file, id, h, names, problems);
            Map<String, Double> p = params.get(id);
            for (String required : cat.requiredParameters()) {
                if (!p.containsKey(required)) {
                    problems.add(new Problem(file, 0, "parameter", "lever '" + id + "' lacks parameter '" + required + "'"));
                }
            }
            if (p.containsKey("group_size") != p.containsKey("scale_bits_per_group")) {
                problems.add(new Problem(file, h.line(), "parameter", "lever '" + id
                        + "' needs group_size and scale_bits_per_group together (bits of scale per group of weights), or neither"));
            }
            out.put(id, new Lever(id, cat, compute, h.baseline(), aliases, Collections.unmodifiableMap(p)));
        }
        checkCounts(file, out, problems);
        return out;
    }

    private static void sameAsFirst(String file, int line, String id, String field, String first, String now, int firstLine,
                                    List<Problem> problems) {
        if (!java.util.Objects.equals(first, now)) {
            problems.add(new Problem(file, line, field, "lever '" + id + "' was given " + field + " "
                    + (first == null ? "(empty)" : Problem.quote(first)) + " on an earlier line (" + firstLine + ")"));
        }
    }

    /** A weight precision says what its matmuls compute in (W4A16 dequantizes to BF16); no other lever does. */
    private static ComputePrecision computePrecision(String file, String id, LeverHead h, LeverCategory cat, List<Problem> problems) {
        if (cat != LeverCategory.WEIGHT_PRECISION) {
            if (h.computePrecision() != null) {
                problems.add(new Problem(file, h.line(), "compute_precision", "only weight_precision levers have a compute precision; '"
                        + id + "' is " + cat.label() + " (leave it empty)"));
            }
            return null;
        }
        if (h.computePrecision() == null) {
            problems.add(new Problem(file, h.line(), "compute_precision", "lever '" + id
                    + "' sets the weight precision: give the format its matmuls compute in (bf16 for weight-only formats such as W4A16)"));
            return null;
        }
        try {
            return ComputePrecision.valueOf(h.computePrecision().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException notKnown) { // a user schema whose enum has a format the engine has no peak for
            problems.add(new Problem(file, h.line(), "compute_precision", Problem.quote(h.computePrecision())
                    + " is not a format the engine knows " + List.of(ComputePrecision.values()).toString().toLowerCase(java.util.Locale.ROOT)));
            return null;
        }
    }

    private static List<String> aliases(String file, String id, LeverHead h, Map<String, String> names, List<Problem> problems) {
        if (h.aliases() == null) return List.of();
        List<String> out = new ArrayList<>();
        for (String raw : h.aliases().split(";")) {
            String a = raw.trim();
            if (!ALIAS.matcher(a).matches()) {
                problems.add(new Problem(file, h.line(), "aliases", Problem.quote(a)
                        + " is not a name the command line can take (letters, digits, '_', '.', '-'; several separated by ';')"));
                continue;
            }
            String other = names.putIfAbsent(a, id);
            if (other != null) {
                problems.add(new Problem(file, h.line(), "aliases", "alias '" + a + "' of '" + id + "' already names lever '" + other + "'"));
                continue;
            }
            out.add(a);
        }
        return List.copyOf(out);
    }

    /** One baseline weight precision; exactly one lever in each category that carries the physics of its absence. */
    private static void checkCounts(String file, Map<String, Lever> levers, List<Problem> problems) {
        Map<LeverCategory, List<String>> byCategory = new java.util.EnumMap<>(LeverCategory.class);
        List<String> baselines = new ArrayList<>();
        for (Lever l : levers.values()) {
            byCategory.computeIfAbsent(l.category(), k -> new ArrayList<>()).add(l.id());
            if (l.baseline()) baselines.add(l.id());
        }
        for (LeverCategory cat : LeverCategory.values()) {
            List<String> ids = byCategory.getOrDefault(cat, List.of());
            if (cat.count() == LeverCategory.Count.ONE && ids.size() != 1) {
                problems.add(new Problem(file, 0, "category", "needs exactly one lever of category '" + cat.label()
                        + "' (the engine models one, and reads from it what serving is like without it), found "
                        + (ids.isEmpty() ? "none" : "'" + String.join("', '", ids) + "'")));
            }
        }
        if (!byCategory.containsKey(LeverCategory.WEIGHT_PRECISION)) {
            problems.add(new Problem(file, 0, "category", "needs a weight_precision lever (the baseline, with baseline true)"));
        } else if (baselines.size() != 1) {
            problems.add(new Problem(file, 0, "baseline", "needs exactly one weight_precision lever with baseline true (the precision of "
                    + "a stack that names none, and of activations and KV), found "
                    + (baselines.isEmpty() ? "none" : "'" + String.join("', '", baselines) + "'")));
        }
    }

    private static String labels(List<LeverCategory> cats) {
        List<String> out = new ArrayList<>();
        for (LeverCategory c : cats) out.add(c.label());
        return out.toString();
    }

    /** Runtimes by id; every runtime gets an any-vendor row (its own, else the default runtime's). */
    private static Map<String, ServingRuntime> runtimes(String file, List<AvroCsvLoader.Loaded> rows, List<Problem> problems) {
        Map<String, Map<String, KernelEfficiency>> byId = new TreeMap<>();
        for (var l : rows) {
            KernelEfficiency k = KernelEfficiency.from(l.record());
            byId.computeIfAbsent(k.runtimeId(), x -> new TreeMap<>()).put(k.vendor(), k);
        }
        if (rows.isEmpty()) return Map.of();
        Map<String, KernelEfficiency> defaults = byId.get(ServingRuntime.DEFAULT);
        if (defaults == null || !defaults.containsKey(ServingRuntime.ANY_VENDOR)) {
            problems.add(new Problem(file, 0, "runtime_id", "needs a row with runtime_id '" + ServingRuntime.DEFAULT
                    + "' and vendor '" + ServingRuntime.ANY_VENDOR + "' (the runtime sweeps use)"));
            return Map.of();
        }
        Map<String, ServingRuntime> out = new TreeMap<>();
        for (var e : byId.entrySet()) {
            Map<String, KernelEfficiency> v = new TreeMap<>(e.getValue());
            KernelEfficiency any = v.remove(ServingRuntime.ANY_VENDOR);
            if (any == null) any = defaults.get(ServingRuntime.ANY_VENDOR).as(e.getKey(), ServingRuntime.ANY_VENDOR);
            out.put(e.getKey(), new ServingRuntime(e.getKey(), Collections.unmodifiableMap(v), any));
        }
        return out;
    }

    /** The lever an id or alias names (fp16 = bf16), or null. */
    public Lever lever(String idOrAlias) {
        Lever l = levers.get(idOrAlias);
        if (l != null) return l;
        for (Lever x : levers.values()) if (x.aliases().contains(idOrAlias)) return x;
        return null;
    }

    /** The weight precision of a stack that names none (the checkpoint as published). */
    public Lever baselineWeights() {
        for (Lever l : levers.values()) if (l.baseline()) return l;
        throw new IllegalStateException("the catalog has no baseline weight precision");
    }

    /** The one lever of a category that has exactly one (checked when the catalog loads). */
    public Lever only(LeverCategory category) {
        for (Lever l : levers.values()) if (l.category() == category) return l;
        throw new IllegalStateException("the catalog has no lever of category " + category.label());
    }

    public ServingRuntime runtime(String id) {
        return lookup(runtimes, id, "serving runtime");
    }

    /** The same catalog with these runtimes and no others (a fit's). */
    public Catalog withRuntimes(Map<String, ServingRuntime> r) {
        return new Catalog(models, hardware, workloads, levers, Collections.unmodifiableMap(new TreeMap<>(r)));
    }

    public Model model(String id) {
        return lookup(models, id, "model");
    }

    public Hardware hardware(String id) {
        return lookup(hardware, id, "hardware");
    }

    public Workload workload(String id) {
        return lookup(workloads, id, "workload");
    }

    private static <T> T lookup(Map<String, T> map, String id, String what) {
        T v = map.get(id);
        if (v == null) throw new IllegalArgumentException("unknown " + what + " " + Problem.quote(id) + Problem.unknownIdHint(id, map.keySet()));
        return v;
    }
}
