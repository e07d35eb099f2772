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

    /** Parameters the engine reads from each lever; a catalog without them is incomplete. */
    public static final Map<String, List<String>> REQUIRED_LEVER_PARAMETERS = requiredLeverParameters();

    private static Map<String, List<String>> requiredLeverParameters() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("bf16", List.of("weight_bits"));
        m.put("fp8", List.of("weight_bits"));
        m.put("int8", List.of("weight_bits"));
        m.put("int4", List.of("weight_bits", "group_size", "scale_bits_per_group"));
        m.put("fp8-kv", List.of("kv_bits"));
        m.put("int8-kv", List.of("kv_bits"));
        m.put("continuous-batching", List.of("static_batch_slot_utilization"));
        m.put("flash-attention", List.of("standard_attention_hbm_passes"));
        m.put("paged-kv", List.of("paged_kv_utilization", "contiguous_kv_utilization"));
        m.put("prefix-cache", List.of());
        m.put("speculative-decoding", List.of("draft_tokens", "acceptance_rate", "draft_layers"));
        return Collections.unmodifiableMap(m);
    }

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

    private static Map<String, Lever> levers(String file, List<AvroCsvLoader.Loaded> rows, List<Problem> problems) {
        Map<String, String> category = new LinkedHashMap<>();
        Map<String, Map<String, Double>> params = new LinkedHashMap<>();
        for (var l : rows) {
            String id = Fields.str(l.record(), "lever_id");
            String cat = Fields.str(l.record(), "category");
            String prior = category.putIfAbsent(id, cat);
            if (prior != null && !prior.equals(cat)) {
                problems.add(new Problem(file, l.line(), "category", "lever '" + id + "' was given category '" + prior
                        + "' on an earlier line"));
            }
            params.computeIfAbsent(id, k -> new LinkedHashMap<>())
                    .put(Fields.str(l.record(), "parameter"), Fields.d(l.record(), "value"));
        }
        if (rows.isEmpty()) return Map.of();
        for (var e : REQUIRED_LEVER_PARAMETERS.entrySet()) {
            if (!category.containsKey(e.getKey())) {
                problems.add(new Problem(file, 0, "lever_id", "lever '" + e.getKey() + "' is missing"));
                continue;
            }
            for (String p : e.getValue()) {
                if (!params.get(e.getKey()).containsKey(p)) {
                    problems.add(new Problem(file, 0, "parameter", "lever '" + e.getKey() + "' lacks parameter '" + p + "'"));
                }
            }
        }
        Map<String, Lever> out = new TreeMap<>();
        for (var e : category.entrySet()) {
            out.put(e.getKey(), new Lever(e.getKey(), e.getValue(), Collections.unmodifiableMap(params.get(e.getKey()))));
        }
        return out;
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
