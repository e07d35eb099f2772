package tokencost.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tokencost.catalog.InvalidInputException;
import tokencost.catalog.Problem;
import tokencost.engine.EngineSettings;

/**
 * Every tunable of tokencost, declared once with its doc and default, and the values read from a HOCON
 * file. An unknown or mistyped key under {@code tokencost} is an error naming file, line and key.
 * Physical facts are not here: they live in datasets/.
 */
public final class TokencostConf {

    public static final ConfEntry CATALOG_DIR = ConfEntry.string("tokencost.catalog.dir", "datasets",
            "Folder with the reference catalogs (CSV + schemas/), relative to the tokencost home; empty = the copy in the jar.");

    public static final ConfEntry MEMORY_USABLE_FRACTION = ConfEntry.fraction("tokencost.engine.memory-usable-fraction", 0.9,
            "Share of device memory the serving runtime may fill with weights, KV cache and workspace "
                    + "(vLLM's gpu_memory_utilization default is 0.9).");

    public static final ConfEntry MAX_BATCH = ConfEntry.positiveInt("tokencost.engine.max-batch", 2048,
            "Most sequences one replica schedules at once (TensorRT-LLM's default max_batch_size is 2048).");

    public static final ConfEntry MAX_PREFILL_TOKENS = ConfEntry.positiveInt("tokencost.engine.max-prefill-tokens", 8192,
            "Tokens per prefill iteration; longer prompt batches stream the weights once per chunk "
                    + "(TensorRT-LLM's default max_num_tokens is 8192).");

    public static final ConfEntry COLLECTIVE_LATENCY_US = ConfEntry.nonNegativeDouble("tokencost.engine.collective-latency-us", 20.0,
            "Fixed latency of one all-reduce or pipeline hop in microseconds (small-message NCCL all-reduce within a node).");

    public static final ConfEntry PRICING = ConfEntry.choice("tokencost.economics.pricing", "auto",
            "How a device-hour is priced: rent (on-demand price), own (purchase amortised + electricity), "
                    + "auto (rent where an hourly price exists, else own).", "auto", "rent", "own");

    public static final ConfEntry AMORTIZATION_YEARS = ConfEntry.positiveDouble("tokencost.economics.amortization-years", 5.0,
            "Years over which owned hardware is written off.");

    public static final ConfEntry ELECTRICITY_USD_PER_KWH = ConfEntry.nonNegativeDouble("tokencost.economics.electricity-usd-per-kwh", 0.0806,
            "Electricity price for owned hardware, USD per kWh.");

    public static final ConfEntry PUE = ConfEntry.positiveDouble("tokencost.economics.pue", 1.58,
            "Power usage effectiveness: facility power / IT power (1.0 for a device on a desk).");

    public static final ConfEntry POWER_FRACTION_OF_TDP = ConfEntry.fraction("tokencost.economics.power-fraction-of-tdp", 0.7,
            "Average power while serving as a fraction of TDP (prompt phases reach TDP, decoding draws less).");

    public static final ConfEntry UTILIZATION = ConfEntry.fraction("tokencost.economics.utilization", 1.0,
            "Fraction of paid device time that serves traffic; 1.0 gives the cost at full load.");

    public static final ConfEntry TRAINING_MFU = ConfEntry.fraction("tokencost.training.mfu", 0.4,
            "Model FLOPs utilisation of a training run (Llama 3 405B reports 38-43% BF16 MFU).");

    /** All entries, in documentation order. */
    public static final List<ConfEntry> ENTRIES = List.of(CATALOG_DIR, MEMORY_USABLE_FRACTION, MAX_BATCH, MAX_PREFILL_TOKENS,
            COLLECTIVE_LATENCY_US, PRICING, AMORTIZATION_YEARS, ELECTRICITY_USD_PER_KWH, PUE, POWER_FRACTION_OF_TDP,
            UTILIZATION, TRAINING_MFU);

    /** Top-level sections other than tokencost that a conf may hold (passed through to their owners). */
    private static final List<String> OTHER_SECTIONS = List.of("spark");

    private final Map<String, Object> values;
    private final String origin;

    private TokencostConf(Map<String, Object> values, String origin) {
        this.values = Collections.unmodifiableMap(values);
        this.origin = origin;
    }

    /** The declared defaults, with no file. */
    public static TokencostConf defaults() {
        Map<String, Object> v = new LinkedHashMap<>();
        for (ConfEntry e : ENTRIES) v.put(e.key(), e.defaultValue());
        return new TokencostConf(v, "defaults");
    }

    public static TokencostConf load(Path file) {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(List.of(new Problem(name, 0, null, "conf file not found")));
        }
        Config config;
        try {
            config = ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false)).resolve();
        } catch (ConfigException e) {
            int line = e.origin() == null ? 0 : e.origin().lineNumber();
            throw new InvalidInputException(List.of(new Problem(name, line, null, "not valid HOCON: " + e.getMessage())));
        }
        return fromConfig(config, name);
    }

    static TokencostConf fromConfig(Config config, String name) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfEntry e : ENTRIES) values.put(e.key(), e.defaultValue());
        Map<String, ConfEntry> byKey = new LinkedHashMap<>();
        for (ConfEntry e : ENTRIES) byKey.put(e.key(), e);

        for (Map.Entry<String, ConfigValue> kv : config.entrySet()) {
            String key = kv.getKey();
            ConfigValue v = kv.getValue();
            int line = v.origin() == null ? 0 : v.origin().lineNumber();
            String root = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (OTHER_SECTIONS.contains(root)) continue;
            ConfEntry entry = byKey.get(key);
            if (entry == null) {
                problems.add(new Problem(name, line, key, "unknown key" + suggestion(key, byKey.keySet())));
                continue;
            }
            try {
                values.put(key, convert(entry, v));
            } catch (IllegalArgumentException ex) {
                problems.add(new Problem(name, line, key, ex.getMessage()));
            }
        }
        if (!problems.isEmpty()) throw new InvalidInputException(problems);
        return new TokencostConf(values, name);
    }

    private static Object convert(ConfEntry e, ConfigValue v) {
        Object raw = v.unwrapped();
        switch (e.type()) {
            case INT, DOUBLE -> {
                if (v.valueType() != ConfigValueType.NUMBER) {
                    throw new IllegalArgumentException("expected a number, got " + v.valueType().name().toLowerCase() + " " + v.render());
                }
                double d = ((Number) raw).doubleValue();
                if (e.type() == ConfEntry.Type.INT && d != Math.rint(d)) {
                    throw new IllegalArgumentException("expected a whole number, got " + v.render());
                }
                if (!Double.isFinite(d) || d < e.min() || (e.minExclusive() && d == e.min()) || d > e.max()) {
                    throw new IllegalArgumentException("value " + v.render() + " is out of range (" + (e.minExclusive() ? "> " : ">= ")
                            + fmt(e.min()) + (e.max() < Double.MAX_VALUE && e.max() < Integer.MAX_VALUE ? " and <= " + fmt(e.max()) : "") + ")");
                }
                return e.type() == ConfEntry.Type.INT ? (Object) (int) d : (Object) d;
            }
            case BOOLEAN -> {
                if (v.valueType() != ConfigValueType.BOOLEAN) throw new IllegalArgumentException("expected true or false, got " + v.render());
                return raw;
            }
            default -> {
                if (v.valueType() != ConfigValueType.STRING) throw new IllegalArgumentException("expected a string, got " + v.render());
                String s = (String) raw;
                if (!e.allowed().isEmpty() && !e.allowed().contains(s)) {
                    throw new IllegalArgumentException("'" + s + "' is not one of " + e.allowed());
                }
                return s;
            }
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String suggestion(String key, Iterable<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(3, key.length() / 4) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    public String origin() {
        return origin;
    }

    public String string(ConfEntry e) {
        return (String) values.get(e.key());
    }

    public int integer(ConfEntry e) {
        return (Integer) values.get(e.key());
    }

    public double number(ConfEntry e) {
        return ((Number) values.get(e.key())).doubleValue();
    }

    public EngineSettings engineSettings() {
        return new EngineSettings(number(MEMORY_USABLE_FRACTION), integer(MAX_BATCH), integer(MAX_PREFILL_TOKENS),
                number(COLLECTIVE_LATENCY_US), EngineSettings.Pricing.valueOf(string(PRICING).toUpperCase()),
                number(AMORTIZATION_YEARS), number(ELECTRICITY_USD_PER_KWH), number(PUE), number(POWER_FRACTION_OF_TDP),
                number(UTILIZATION), number(TRAINING_MFU));
    }
}
