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
import tokencost.catalog.WholeNumbers;
import tokencost.engine.EngineSettings;

/**
 * Every tunable of tokencost, declared once with its doc and default, and the values read from a HOCON
 * file. An unknown or mistyped key under {@code tokencost} is an error naming file, line and key.
 * Physical facts are not here: they live in datasets/.
 */
public final class TokencostConf {

    public static final ConfEntry CATALOG_DIR = ConfEntry.string("tokencost.catalog.dir", "datasets",
            "Folder with the reference catalogs (CSV + schemas/), relative to the current directory; empty, or no such folder = the copy in the jar.").operational();

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

    public static final ConfEntry SWEEP_MODELS = ConfEntry.stringList("tokencost.sweep.models", List.of("all"),
            "Model ids to sweep, or [all].");

    public static final ConfEntry SWEEP_HARDWARE = ConfEntry.stringList("tokencost.sweep.hardware", List.of("all"),
            "Hardware ids to sweep, or [all].");

    public static final ConfEntry SWEEP_WORKLOADS = ConfEntry.stringList("tokencost.sweep.workloads", List.of("all"),
            "Workload ids to sweep, or [all].");

    public static final ConfEntry SWEEP_DEVICES = ConfEntry.intList("tokencost.sweep.devices", List.of(1, 2, 4, 8, 16, 32, 64),
            "Devices per replica. Counts above a hardware's node size that are not a multiple of it are kept as "
                    + "cells with fits = false.");

    public static final ConfEntry SWEEP_BATCHES = ConfEntry.intList("tokencost.sweep.batches",
            List.of(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048), "Batch sizes (concurrent sequences) per replica.");

    public static final ConfEntry SWEEP_STACKS = ConfEntry.stringList("tokencost.sweep.stacks", List.of(),
            "Named optimization stacks, each as on the command line (\"fp8,continuous-batching,paged-kv\").");

    public static final ConfEntry SWEEP_STACK_LEVERS = ConfEntry.stringList("tokencost.sweep.stack-levers",
            List.of("fp8", "int4", "continuous-batching", "flash-attention", "paged-kv", "speculative-decoding"),
            "Levers combined in every way that stacks (precisions are alternatives; prefix-cache needs paged-kv); "
                    + "added to the named stacks. [] for named stacks only.");

    public static final ConfEntry SWEEP_MAX_CELLS = ConfEntry.positiveLong("tokencost.sweep.max-cells", 200_000_000L,
            "Largest grid a run accepts; a bigger one is refused before Spark starts, with its computed size.");

    public static final ConfEntry SWEEP_PARTITIONS = ConfEntry.nonNegativeInt("tokencost.sweep.partitions", 0,
            "Spark partitions the grid is generated in; 0 = 4 per core of the default parallelism.").operational();

    public static final ConfEntry WAREHOUSE_PATH = ConfEntry.string("tokencost.warehouse.path", "warehouse",
            "Where the Delta tables live: a local folder (relative to the current directory) or a Hadoop URI (s3a://, abfss://).").operational();

    public static final ConfEntry WAREHOUSE_DATABASE = ConfEntry.string("tokencost.warehouse.database", "",
            "When set, every table is also registered by name in this database of the session's catalog/metastore "
                    + "(CREATE TABLE db.name USING delta LOCATION path); empty = path-only tables.").operational();

    public static final ConfEntry WAREHOUSE_LOCK_WAIT_S = ConfEntry.nonNegativeDouble("tokencost.warehouse.lock-wait-s", 60.0,
            "On a local warehouse, how long a run waits for another run's writer lock before failing.").operational();

    public static final ConfEntry SPARK_MASTER = ConfEntry.string("tokencost.spark.master", "local[*]",
            "Spark master for the embedded run; ignored when spark-submit sets one.").operational();

    public static final ConfEntry PROGRESS_INTERVAL_S = ConfEntry.positiveDouble("tokencost.progress.interval-s", 10.0,
            "Seconds between progress lines (cells done / total, rate, ETA).").operational();

    public static final ConfEntry LIFECYCLE_SCENARIOS = ConfEntry.stringList("tokencost.lifecycle.scenarios", List.of("all"),
            "Scenario ids (datasets/scenarios.csv) the lifecycle job runs, or [all].");

    public static final ConfEntry LIFECYCLE_DRAWS = ConfEntry.nonNegativeInt("tokencost.lifecycle.draws", 200,
            "Monte Carlo draws per scenario (0 = the deterministic run only); uncertain inputs are sampled per draw.");

    public static final ConfEntry LIFECYCLE_SERVING_FROM = ConfEntry.choice("tokencost.lifecycle.serving-from", "frontier",
            "Where a scenario's serving throughput comes from: frontier = the best SLO-meeting configuration of its model x "
                    + "hardware x workload in the sweep run of the same run id (else the latest succeeded sweep run), falling "
                    + "back to the scenario's own replica when no sweep covers it; replica = always the scenario's own replica "
                    + "(serving_devices, serving_optimizations).", "frontier", "replica");
    public static final ConfEntry LIFECYCLE_SEED = ConfEntry.nonNegativeInt("tokencost.lifecycle.seed", 42,
            "Seed of the Monte Carlo draws: the same seed gives the same tables.");

    /** All entries, in documentation order. */
    public static final List<ConfEntry> ENTRIES = List.of(CATALOG_DIR, MEMORY_USABLE_FRACTION, MAX_BATCH, MAX_PREFILL_TOKENS,
            COLLECTIVE_LATENCY_US, PRICING, AMORTIZATION_YEARS, ELECTRICITY_USD_PER_KWH, PUE, POWER_FRACTION_OF_TDP,
            UTILIZATION, TRAINING_MFU, SWEEP_MODELS, SWEEP_HARDWARE, SWEEP_WORKLOADS, SWEEP_DEVICES, SWEEP_BATCHES,
            SWEEP_STACKS, SWEEP_STACK_LEVERS, SWEEP_MAX_CELLS, SWEEP_PARTITIONS, WAREHOUSE_PATH, WAREHOUSE_DATABASE, WAREHOUSE_LOCK_WAIT_S,
            SPARK_MASTER, PROGRESS_INTERVAL_S, LIFECYCLE_SCENARIOS, LIFECYCLE_DRAWS, LIFECYCLE_SEED,
            LIFECYCLE_SERVING_FROM);

    private final Map<String, Object> values;
    private final Map<String, Integer> lines;
    private final Map<String, String> files;
    private final Map<String, String> sparkSettings;
    private final String origin;
    private final String outputCanonical;
    private final List<Problem> warnings;

    private TokencostConf(Map<String, Object> values, Map<String, Integer> lines, Map<String, String> files,
                          Map<String, String> sparkSettings, String origin) {
        this(values, lines, files, sparkSettings, origin, List.of());
    }

    private TokencostConf(Map<String, Object> values, Map<String, Integer> lines, Map<String, String> files,
                          Map<String, String> sparkSettings, String origin, List<Problem> warnings) {
        this.warnings = List.copyOf(warnings);
        this.values = Collections.unmodifiableMap(values);
        this.lines = Collections.unmodifiableMap(lines);
        this.files = Collections.unmodifiableMap(files);
        this.sparkSettings = Collections.unmodifiableMap(sparkSettings);
        this.origin = origin;
        Map<String, Object> output = new LinkedHashMap<>();
        for (ConfEntry e : ENTRIES) if (e.changesOutput()) output.put(e.key(), values.get(e.key()));
        this.outputCanonical = output.toString();
    }

    /** The declared defaults, with no file. */
    public static TokencostConf defaults() {
        Map<String, Object> v = new LinkedHashMap<>();
        for (ConfEntry e : ENTRIES) v.put(e.key(), e.defaultValue());
        return new TokencostConf(v, Map.of(), Map.of(), Map.of(), "defaults");
    }

    public static TokencostConf load(Path file) {
        return load(file, false);
    }

    /**
     * The conf of {@code file}. Its warnings (a key set twice with different values, a plain include of a file that
     * does not exist) are in {@link #warnings()}; with {@code strict} they are errors, reported with any other problem.
     */
    public static TokencostConf load(Path file, boolean strict) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(List.of(new Problem(name, 0, null, "is a folder, not a conf file")));
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(List.of(new Problem(name, 0, null, "conf file not found")));
        }
        Config config;
        List<Problem> warnings = new ArrayList<>();
        try {
            config = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
                    .setAllowMissing(false).setIncluder(ConfIncluder.forFile(file.toFile(), warnings))).resolve();
        } catch (ConfigException e) {
            throw new InvalidInputException(List.of(problem(e, name)));
        }
        List<Problem> all = new ArrayList<>(ConfIncluder.duplicates(file.toFile()));
        for (Problem w : warnings) if (!all.contains(w)) all.add(w);
        all = inReadingOrder(all);
        TokencostConf conf;
        try {
            conf = fromConfig(sparkConfOverrides(System.getProperties()).withFallback(config).resolve(), name);
        } catch (InvalidInputException e) {
            if (!strict || all.isEmpty()) throw e;
            List<Problem> both = new ArrayList<>(all);
            both.addAll(e.problems());
            throw new InvalidInputException(both);
        }
        if (strict && !all.isEmpty()) throw new InvalidInputException(all);
        return conf.withWarnings(all);
    }

    /** A HOCON error as a problem of the file and line it is in (an included file's, when it is there). */
    static Problem problem(ConfigException e, String name) {
        if (e instanceof ConfIncluder.IncludeException inc) return new Problem(inc.file(), inc.line(), null, inc.reason());
        String file = e.origin() != null && e.origin().filename() != null ? e.origin().filename() : name;
        int line = e.origin() == null || e.origin().lineNumber() < 0 ? 0 : e.origin().lineNumber();
        String message = ConfIncluder.message(e);
        if (e instanceof ConfigException.UnresolvedSubstitution) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{\\??([^}]*)}").matcher(message);
            if (m.find()) {
                String var = m.group(1).strip();
                return new Problem(file, line, null, "${" + var + "} is not set: no key '" + var + "' in the conf and no environment "
                        + "variable of that name (write ${?" + var + "} for a value that may be missing)");
            }
        }
        return new Problem(file, line, null, "not valid HOCON: " + message);
    }

    /** Prefix of job settings given to spark-submit ({@code --conf spark.tokencost.sweep.max-cells=...}). */
    public static final String SPARK_CONF_PREFIX = "spark.";

    /**
     * Job settings passed as Spark conf: spark-submit drops keys that do not start with "spark.", so
     * {@code spark.tokencost.<key>} overrides {@code tokencost.<key>} of the HOCON file. spark-submit hands them to
     * the driver as system properties. Values are parsed as HOCON numbers, booleans or lists where they look like
     * one, else taken as plain strings (paths like s3a://... stay whole).
     */
    static Config sparkConfOverrides(java.util.Properties props) {
        Config out = ConfigFactory.empty();
        for (String k : new java.util.TreeSet<>(props.stringPropertyNames())) {
            if (!k.startsWith(SPARK_CONF_PREFIX + "tokencost.")) continue;
            String key = k.substring(SPARK_CONF_PREFIX.length());
            String raw = props.getProperty(k).strip();
            ConfigValue value;
            try {
                value = raw.matches("\\[.*\\]|-?[0-9.eE+-]+|true|false")
                        ? ConfigFactory.parseString("v = " + raw, ConfigParseOptions.defaults().setOriginDescription("spark conf " + k)).getValue("v")
                        : com.typesafe.config.ConfigValueFactory.fromAnyRef(raw, "spark conf " + k);
            } catch (ConfigException e) {
                throw new InvalidInputException(List.of(new Problem("spark conf", 0, k, "not a valid value: " + e.getMessage())));
            }
            out = out.withValue(key, value);
        }
        return out;
    }

    static TokencostConf fromConfig(Config config, String name) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, String> spark = new LinkedHashMap<>();
        for (ConfEntry e : ENTRIES) values.put(e.key(), e.defaultValue());
        Map<String, ConfEntry> byKey = new LinkedHashMap<>();
        for (ConfEntry e : ENTRIES) byKey.put(e.key(), e);

        for (Map.Entry<String, ConfigValue> kv : config.entrySet()) {
            String key = kv.getKey();
            ConfigValue v = kv.getValue();
            int line = v.origin() == null ? 0 : v.origin().lineNumber();
            String where = v.origin() != null && v.origin().description().startsWith("spark conf ") ? "spark conf " + SPARK_CONF_PREFIX + key
                    : v.origin() != null && v.origin().filename() != null ? v.origin().filename() : name; // an included file's own name
            boolean inFile = !where.startsWith("spark conf ");
            String root = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (root.equals("spark")) {
                spark.put(key, String.valueOf(v.unwrapped()));
                continue;
            }
            ConfEntry entry = byKey.get(key);
            if (entry == null) {
                problems.add(new Problem(where, inFile ? line : 0, key, "unknown key" + suggestion(key, byKey.keySet())));
                continue;
            }
            try {
                Object value = convert(entry, v);
                if (entry == SPARK_MASTER) checkSparkMaster((String) value);
                values.put(key, value);
                lines.put(key, line);
                if (inFile) files.put(key, where);
            } catch (IllegalArgumentException ex) {
                problems.add(new Problem(where, inFile ? line : 0, key, ex.getMessage()));
            }
        }
        if (!problems.isEmpty()) throw new InvalidInputException(inReadingOrder(problems));
        return new TokencostConf(values, lines, files, spark, name);
    }

    /** Problems by file (in the order they first appear) and line: Typesafe Config hands the keys over in no order. */
    static List<Problem> inReadingOrder(List<Problem> problems) {
        List<String> files = problems.stream().map(Problem::file).distinct().toList();
        List<Problem> out = new ArrayList<>(problems);
        out.sort(java.util.Comparator.comparingInt((Problem p) -> files.indexOf(p.file())).thenComparingInt(Problem::line));
        return out;
    }

    private static Object convert(ConfEntry e, ConfigValue v) {
        Object raw = v.unwrapped();
        switch (e.type()) {
            case INT, LONG, DOUBLE -> {
                if (v.valueType() != ConfigValueType.NUMBER) {
                    throw new IllegalArgumentException("expected a number, got " + v.valueType().name().toLowerCase() + " " + render(v));
                }
                double d = ((Number) raw).doubleValue();
                if (e.type() == ConfEntry.Type.INT && d != Math.rint(d)) {
                    throw new IllegalArgumentException("expected a whole number, got " + render(v));
                }
                if (e.type() == ConfEntry.Type.INT && d > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(render(v) + " " + WholeNumbers.tooLarge(Integer.MAX_VALUE));
                }
                if (e.type() == ConfEntry.Type.LONG && (raw instanceof Double || raw instanceof java.math.BigInteger)
                        && Math.abs(d) >= 0x1p63 && d == Math.rint(d)) {
                    throw new IllegalArgumentException(render(v) + " " + (d > 0 ? WholeNumbers.tooLarge(Long.MAX_VALUE)
                            : WholeNumbers.tooSmall(Long.MIN_VALUE)));
                }
                if (!Double.isFinite(d) || d < e.min() || (e.minExclusive() && d == e.min()) || d > e.max()) {
                    throw new IllegalArgumentException("value " + render(v) + " is out of range (" + (e.minExclusive() ? "> " : ">= ")
                            + fmt(e.min()) + (e.max() < Double.MAX_VALUE && e.max() < Integer.MAX_VALUE ? " and <= " + fmt(e.max()) : "") + ")");
                }
                if (e.type() == ConfEntry.Type.LONG) return (long) d;
                return e.type() == ConfEntry.Type.INT ? (Object) (int) d : (Object) d;
            }
            case STRING_LIST, INT_LIST -> {
                if (v.valueType() != ConfigValueType.LIST) {
                    throw new IllegalArgumentException("expected a list like [a, b], got " + render(v));
                }
                List<?> items = (List<?>) raw;
                if (e.type() == ConfEntry.Type.INT_LIST && items.isEmpty()) throw new IllegalArgumentException("empty list: give at least one value");
                List<Object> out = new ArrayList<>();
                for (Object item : items) {
                    if (e.type() == ConfEntry.Type.STRING_LIST) {
                        if (!(item instanceof String str)) throw new IllegalArgumentException("expected a list of strings, found " + item);
                        out.add(str);
                    } else {
                        if (item instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())
                                && num.doubleValue() > Integer.MAX_VALUE) {
                            throw new IllegalArgumentException("expected a list of positive whole numbers, found " + item + ", which "
                                    + WholeNumbers.tooLarge(Integer.MAX_VALUE));
                        }
                        if (!(item instanceof Number num) || num.doubleValue() != Math.rint(num.doubleValue()) || num.doubleValue() < 1) {
                            throw new IllegalArgumentException("expected a list of positive whole numbers, found "
                                    + Problem.cut(String.valueOf(item)));
                        }
                        out.add(num.intValue());
                    }
                }
                return List.copyOf(out);
            }
            case BOOLEAN -> {
                if (v.valueType() != ConfigValueType.BOOLEAN) throw new IllegalArgumentException("expected true or false, got " + render(v));
                return raw;
            }
            default -> {
                if (v.valueType() != ConfigValueType.STRING) throw new IllegalArgumentException("expected a string, got " + render(v));
                String s = (String) raw;
                if (!e.allowed().isEmpty() && !e.allowed().contains(s)) {
                    throw new IllegalArgumentException(Problem.quote(s) + " is not one of " + e.allowed());
                }
                return s;
            }
        }
    }

    private static final java.util.regex.Pattern SPARK_MASTER_URL = java.util.regex.Pattern.compile(
            "local|local\\[\\s*([1-9][0-9]*|\\*)\\s*(,\\s*[0-9]+\\s*)?]|local-cluster\\[\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*]"
                    + "|spark://[^\\s/]+(,[^\\s/]+)*|yarn|k8s://\\S+");

    /** The master URLs Spark accepts (SparkContext's own patterns): a typo is caught before Spark starts. */
    static void checkSparkMaster(String master) {
        if (!SPARK_MASTER_URL.matcher(master).matches()) {
            throw new IllegalArgumentException(Problem.quote(master) + " is not a Spark master URL (local, local[N], local[*], "
                    + "local[N,MAX_FAILURES], local-cluster[WORKERS,CORES,MEMORY_MB], spark://HOST:PORT, yarn, k8s://URL)");
        }
    }

    /** A conf value as a message shows it: on one line, at most {@link Problem#MAX_VALUE_CHARS} characters. */
    private static String render(ConfigValue v) {
        return Problem.cut(v.render(com.typesafe.config.ConfigRenderOptions.concise().setJson(false)));
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

    /**
     * What is allowed but probably a mistake, naming file and line: a key one file sets twice with different values,
     * a plain include of a file that does not exist. The CLI prints them as warnings ({@code --strict}: errors).
     */
    public List<Problem> warnings() {
        return warnings;
    }

    private TokencostConf withWarnings(List<Problem> w) {
        return new TokencostConf(values, lines, files, sparkSettings, origin, w);
    }

    /** The line of the conf file that set a key, 0 when it has its default. */
    public int line(ConfEntry e) {
        return lines.getOrDefault(e.key(), 0);
    }

    /** The conf file that set a key: the file given, or the included file the value came from. */
    public String file(ConfEntry e) {
        return files.getOrDefault(e.key(), origin);
    }

    /** Settings of the conf's spark { } section, passed to the SparkSession. */
    public Map<String, String> sparkSettings() {
        return sparkSettings;
    }

    /**
     * The values that change what a run writes, in a stable text form: hashed into the run id and sweep_runs'
     * conf_hash. Where and how the run executes (warehouse, Spark master and settings, partitions, lock wait,
     * progress interval, the catalog folder's name — its contents are hashed apart) is left out.
     */
    public String outputCanonical() {
        return outputCanonical;
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(ConfEntry e) {
        return (List<String>) values.get(e.key());
    }

    @SuppressWarnings("unchecked")
    public List<Integer> integers(ConfEntry e) {
        return (List<Integer>) values.get(e.key());
    }

    public long longValue(ConfEntry e) {
        return ((Number) values.get(e.key())).longValue();
    }

    /** A copy with some values replaced (command-line overrides such as --warehouse). */
    public TokencostConf with(ConfEntry e, Object value) {
        Map<String, Object> v = new LinkedHashMap<>(values);
        v.put(e.key(), value);
        return new TokencostConf(v, lines, files, sparkSettings, origin, warnings);
    }

    /** The effective value of an entry (its declared default when the conf does not set it). */
    public Object value(ConfEntry e) {
        return values.get(e.key());
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
