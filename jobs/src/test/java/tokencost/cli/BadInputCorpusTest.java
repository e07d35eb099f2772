package tokencost.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tokencost.SparkTestBase;
import tokencost.TestCatalogs;
import tokencost.catalog.CsvEditAccess;
import tokencost.tables.DeltaTables;
import tokencost.tables.RunLog;
import tokencost.tables.Warehouse;

/**
 * The bad-input corpus: broken catalogs, confs and paths, each run through the real command line against a warehouse
 * that already holds a Delta table. Every case must exit 2 with a message naming file, line, field and reason (for a
 * path: one line naming the option, the path and the reason), show no stack trace, and leave the warehouse exactly as
 * it was (no table version added, no file written) and create no path it was given. Every path of the corpus has a
 * space and non-ASCII letters in it. {@code validate} with the same options gives the same verdict, with every problem
 * the job printed (it runs every check any job runs), under the same rules. No output is longer than 20,000 characters.
 */
class BadInputCorpusTest extends SparkTestBase {
    static final String SMALL = "tokencost.sweep {\n  models = [llama-3.1-8b]\n  hardware = [h100-sxm]\n  workloads = [chat]\n"
            + "  devices = [1]\n  batches = [1, 8]\n  stacks = [fp8]\n  stack-levers = []\n}\n"
            + "tokencost.lifecycle { scenarios = [llama-70b-code-flat], draws = 0 }\n";

    static Path root;
    static Path warehouse;
    static Map<String, Long> before;
    static int cases;

    /** Where a case breaks things: a copy of the catalogs, a conf of a small valid sweep, and the command line's options. */
    record Env(Path dir, Path datasets, Path conf, Map<String, String> options) {
        Path csv(String name) {
            return datasets.resolve(name);
        }

        /** Gives an option another value; returns the value. */
        String option(String name, Object value) {
            options.put(name, value.toString());
            return value.toString();
        }

        /** Adds a flag (an option without a value), e.g. --strict. */
        void flag(String name) {
            options.put(name, null);
        }

        /** Replaces a catalog file with {@code what}: a folder, a link to itself, a link to nowhere; returns its path. */
        Path replace(String file, String what) {
            try {
                Path p = datasets.resolve(file);
                if (Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.walk(p)) {
                        for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
                    }
                } else {
                    Files.deleteIfExists(p);
                }
                switch (what) {
                    case "folder" -> Files.createDirectory(p);
                    case "file" -> Files.writeString(p, "not a folder\n");
                    case "loop" -> Files.createSymbolicLink(p, p.getFileName());
                    case "dangling" -> Files.createSymbolicLink(p, p.resolveSibling("nowhere"));
                    default -> throw new IllegalArgumentException(what);
                }
                return p;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A symbolic link in the case's folder that points to itself. */
        Path loop(String name) {
            try {
                return Files.createSymbolicLink(dir.resolve(name), Path.of(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Sets a column of the first row of reference-measurements.tsv; returns its line. */
        int setMeasurement(String column, String value) {
            Path tsv = datasets.resolve(tokencost.catalog.ReferenceMeasurement.FILE);
            List<String> lines = new java.util.ArrayList<>(List.of(new String(read(tsv), StandardCharsets.UTF_8).split("\n", -1)));
            int col = tokencost.catalog.ReferenceMeasurement.HEADER.indexOf(column);
            boolean header = true;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank() || lines.get(i).startsWith("#")) continue;
                if (header) {
                    header = false;
                    continue;
                }
                String[] f = lines.get(i).split("\t", -1);
                f[col] = value;
                lines.set(i, String.join("\t", f));
                write(tokencost.catalog.ReferenceMeasurement.FILE, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
                return i + 1;
            }
            throw new IllegalStateException("no data row in " + tsv);
        }

        /** A regular file in the case's folder. */
        Path file(String name) {
            try {
                return Files.writeString(dir.resolve(name), "not a folder\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A folder in the case's folder that nobody may write; the case is skipped where none can be made. */
        Path readOnlyFolder(String name) {
            try {
                Path ro = Files.createDirectory(dir.resolve(name));
                org.junit.jupiter.api.Assumptions.assumeTrue(ReadOnlyFolders.make(ro), "this machine cannot make a read-only folder");
                return ro;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Appends lines to the conf; returns the number of the first appended line. */
        int appendConf(String text) {
            try {
                int first = Files.readAllLines(conf).size() + 1;
                Files.writeString(conf, text, java.nio.file.StandardOpenOption.APPEND);
                return first;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void write(String file, byte[] bytes) {
            try {
                Files.write(datasets.resolve(file), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A broken input: the command to run and what breaks it, returning the message parts expected on stderr. */
    record Case(String name, String command, Function<Env, List<String>> breakIt) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String at(String file, int line, String field) {
        return file + ":" + line + ": field '" + field + "'";
    }

    /** The one line a bad path gives. */
    static List<String> path(String option, String path, String reason) {
        return List.of("error: " + option + " '" + path + "': " + reason + "\n");
    }

    static Stream<Case> corpus() {
        return Stream.of(
                // catalogs
                new Case("wrong type", "sweep", e -> List.of(at("models.csv", CsvEditAccess.set(e.csv("models.csv"), "llama-3.1-70b", "layers", "eighty"), "layers"), "'eighty' is not a whole number")),
                new Case("missing value", "sweep", e -> List.of(at("hardware.csv", CsvEditAccess.set(e.csv("hardware.csv"), "h100-sxm", "memory_gib", ""), "memory_gib"), "required value is missing")),
                new Case("missing column", "sweep", e -> {
                    CsvEditAccess.dropColumn(e.csv("workloads.csv"), "input_tokens");
                    return List.of(at("workloads.csv", 1, "input_tokens"), "required column is missing");
                }),
                new Case("unknown column", "sweep", e -> {
                    CsvEditAccess.renameColumn(e.csv("models.csv"), "notes", "remarks");
                    return List.of(at("models.csv", 1, "remarks"), "unknown column");
                }),
                new Case("empty file", "sweep", e -> {
                    e.write("workloads.csv", new byte[0]);
                    return List.of("workloads.csv:1: file is empty");
                }),
                new Case("duplicate key", "sweep", e -> List.of(at("hardware.csv", CsvEditAccess.duplicateRow(e.csv("hardware.csv"), "h200-sxm"), "hardware_id"), "duplicate key hardware_id=h200-sxm")),
                new Case("zero", "sweep", e -> List.of(at("hardware.csv", CsvEditAccess.set(e.csv("hardware.csv"), "mi300x", "memory_bw_gb_s", "0"), "memory_bw_gb_s"), "must be positive")),
                new Case("negative", "sweep", e -> List.of(at("models.csv", CsvEditAccess.set(e.csv("models.csv"), "mistral-7b", "kv_lora_rank", "-1"), "kv_lora_rank"), "must not be negative")),
                new Case("NaN", "sweep", e -> List.of(at("models.csv", CsvEditAccess.set(e.csv("models.csv"), "llama-3.1-8b", "params_total_b", "NaN"), "params_total_b"), "not a finite number")),
                new Case("infinite", "sweep", e -> List.of(at("hardware.csv", CsvEditAccess.set(e.csv("hardware.csv"), "b200", "power_w", "Infinity"), "power_w"), "not a finite number")),
                new Case("fraction above 1", "sweep", e -> List.of(at("workloads.csv", CsvEditAccess.set(e.csv("workloads.csv"), "chat", "prefix_cache_share", "1.5"), "prefix_cache_share"), "between 0 and 1")),
                new Case("unknown enum symbol", "sweep", e -> List.of(at("models.csv", CsvEditAccess.set(e.csv("models.csv"), "llama-2-70b", "attention_kind", "GQA2"), "attention_kind"), "is not one of")),
                new Case("inconsistent model", "sweep", e -> List.of(at("models.csv", CsvEditAccess.set(e.csv("models.csv"), "llama-3.1-70b", "params_active_b", "35"), "params_active_b"), "active parameters")),
                new Case("wrong encoding", "sweep", e -> {
                    byte[] bytes = read(e.csv("models.csv"));
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    bytes[text.indexOf('\n', text.indexOf('\n') + 1) + 3] = (byte) 0xE9;
                    e.write("models.csv", bytes);
                    return List.of("models.csv:3", "not valid UTF-8");
                }),
                new Case("stray quote", "sweep", e -> {
                    List<String> lines = new java.util.ArrayList<>(List.of(new String(read(e.csv("workloads.csv")), StandardCharsets.UTF_8).split("\n")));
                    lines.set(2, lines.get(2).replaceFirst(",", ",Co\"de "));
                    e.write("workloads.csv", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
                    return List.of("workloads.csv:3", "stray double quote");
                }),
                new Case("dangling reference", "run", e -> List.of(at("scenarios.csv", CsvEditAccess.set(e.csv("scenarios.csv"), "llama-70b-code-flat", "serving_hardware_id", "h900"), "serving_hardware_id"), "unknown hardware 'h900'")),
                new Case("bad distribution", "run", e -> List.of(at("scenarios.csv", CsvEditAccess.set(e.csv("scenarios.csv"), "llama-70b-code-flat", "monthly_growth", "triangular(0.3;0.1;0.2)"), "monthly_growth"), "min <= mode <= max")),
                new Case("PUE below 1", "run", e -> List.of(at("scenarios.csv", CsvEditAccess.set(e.csv("scenarios.csv"), "llama-70b-code-flat", "pue", "0.9"), "pue"), "out of range")),
                // plausibility: the physical range of each numeric field, from its schema
                new Case("memory beyond physics", "sweep", e -> List.of(at("hardware.csv", CsvEditAccess.set(e.csv("hardware.csv"), "h100-sxm", "memory_gib", "1e308"), "memory_gib"),
                        "'1e308' is out of range: the physical range of memory_gib is 0.01 to 100000")),
                new Case("hourly price beyond physics", "sweep", e -> List.of(at("hardware.csv", CsvEditAccess.set(e.csv("hardware.csv"), "h100-sxm", "price_usd_per_hour", "1e308"), "price_usd_per_hour"),
                        "the physical range of price_usd_per_hour is 0.001 to 10000")),
                new Case("all out-of-range values at once", "sweep", e -> List.of(
                        at("models.csv", CsvEditAccess.set(e.csv("models.csv"), "llama-3.1-8b", "layers", "5000"), "layers") + ": '5000' is out of range",
                        at("workloads.csv", CsvEditAccess.set(e.csv("workloads.csv"), "chat", "output_tokens", "1000000000"), "output_tokens") + ": '1000000000' is out of range",
                        "2 problems")),
                new Case("distribution beyond its range", "run", e -> List.of(at("scenarios.csv", CsvEditAccess.set(e.csv("scenarios.csv"), "llama-70b-code-flat", "monthly_growth", "uniform(0;50)"), "monthly_growth"),
                        "the physical range of monthly_growth is -1 to 10")),
                // confs
                new Case("unknown conf key", "sweep", e -> List.of(at("corpus.conf", e.appendConf("tokencost.sweep.modles = [all]\n"), "tokencost.sweep.modles"), "did you mean 'tokencost.sweep.models'")),
                new Case("conf wrong type", "sweep", e -> List.of(at("corpus.conf", e.appendConf("tokencost.economics.pue = high\n"), "tokencost.economics.pue"), "")),
                new Case("conf list of words for numbers", "sweep", e -> List.of(at("corpus.conf", e.appendConf("tokencost.sweep.devices = [one, two]\n"), "tokencost.sweep.devices"), "")),
                new Case("empty axis", "sweep", e -> List.of(at("corpus.conf", e.appendConf("tokencost.sweep.batches = []\n"), "tokencost.sweep.batches"), "")),
                new Case("zero devices", "sweep", e -> List.of(at("corpus.conf", e.appendConf("tokencost.sweep.devices = [0]\n"), "tokencost.sweep.devices"), "")),
                new Case("unknown hardware filter", "sweep", e -> List.of(at("corpus.conf", e.appendConf("tokencost.sweep.hardware = [h100-sxm-xxl]\n"), "tokencost.sweep.hardware"), "h100-sxm-xxl")),
                new Case("conflicting levers", "sweep", e -> List.of(at("corpus.conf", e.appendConf("tokencost.sweep.stacks = [\"fp8+int4\"]\n"), "tokencost.sweep.stacks"), "")),
                new Case("grid above the cell limit", "sweep", e -> {
                    e.appendConf("tokencost.sweep { models = [all], hardware = [all], workloads = [all] }\ntokencost.sweep.max-cells = 100\n");
                    return List.of("tokencost.sweep.max-cells", "above the limit of 100");
                }),
                new Case("negative draws", "run", e -> List.of(at("corpus.conf", e.appendConf("tokencost.lifecycle.draws = -1\n"), "tokencost.lifecycle.draws"), "")),
                new Case("unknown scenario", "run", e -> List.of(at("corpus.conf", e.appendConf("tokencost.lifecycle.scenarios = [moon-base]\n"), "tokencost.lifecycle.scenarios"), "unknown scenario 'moon-base'")),
                new Case("fraction conf out of range", "sweep", e -> List.of(at("corpus.conf", e.appendConf("tokencost.engine.memory-usable-fraction = 1.5\n"), "tokencost.engine.memory-usable-fraction"), "")),
                new Case("conf syntax error", "sweep", e -> {
                    e.appendConf("tokencost.sweep { models = [\n");
                    return List.of("corpus.conf:", "not valid HOCON", "List should have ]");
                }),
                new Case("missing required include", "sweep", e -> List.of(e.conf() + ":" + e.appendConf("include required(\"/abs/missing.conf\")\n")
                        + ": included file '/abs/missing.conf' does not exist\n")),
                new Case("include cycle", "sweep", e -> List.of(e.conf() + ":" + e.appendConf("include \"corpus.conf\"\n") + ": include cycle: ")),
                new Case("unset substitution", "sweep", e -> List.of(e.conf() + ":" + e.appendConf("tokencost.warehouse.path = ${nope}\n") + ": ${nope} is not set")),
                // paths: checked before anything starts, one line each
                new Case("warehouse is a regular file", "sweep", e -> path("--warehouse", e.option("--warehouse", e.file("passwd")), "is a file, not a folder")),
                new Case("warehouse under a regular file", "sweep", e -> {
                    Path file = e.file("passwd");
                    return path("--warehouse", e.option("--warehouse", file.resolve("wh")), "cannot be created: " + file + " is a file, not a folder");
                }),
                new Case("warehouse not writable", "sweep", e -> path("--warehouse", e.option("--warehouse", e.readOnlyFolder("read only")),
                        "is not writable (permission denied or a read-only file system)")),
                new Case("warehouse under a read-only folder", "lifecycle", e -> {
                    Path ro = e.readOnlyFolder("read only");
                    return path("--warehouse", e.option("--warehouse", ro.resolve("new wh")), "does not exist and cannot be created: " + ro + " is not writable (permission denied or a read-only file system)");
                }),
                new Case("conf is a folder", "sweep", e -> path("--conf", e.option("--conf", e.dir()), "is a folder, not a file")),
                new Case("conf does not exist", "run", e -> path("--conf", e.option("--conf", e.dir().resolve("nope ü.conf")), "does not exist")),
                new Case("datasets do not exist", "sweep", e -> path("--datasets", e.option("--datasets", e.dir().resolve("no data")), "does not exist")),
                new Case("datasets is a file", "lifecycle", e -> path("--datasets", e.option("--datasets", e.file("data.csv")), "is a file, not a folder")),
                new Case("report is a file", "run", e -> path("--report", e.option("--report", e.file("report.html")), "is a file, not a folder")),
                // issue 15: messages say what happened
                new Case("whole number too large", "sweep", e -> List.of(at("models.csv", CsvEditAccess.set(e.csv("models.csv"), "llama-3.1-70b", "layers", "99999999999"), "layers"),
                        "'99999999999' is too large for a whole number (at most 2147483647)")),
                new Case("conf whole number too large", "sweep", e -> List.of(at("corpus.conf", e.appendConf("tokencost.engine.max-batch = 99999999999\n"), "tokencost.engine.max-batch"),
                        "99999999999 is too large for a whole number (at most 2147483647)")),
                new Case("measurement whole number too large", "run", e -> List.of(at("reference-measurements.tsv", e.setMeasurement("devices", "99999999999"), "devices"),
                        "'99999999999' is too large for a whole number (at most 2147483647)")),
                new Case("parameters beyond physics", "sweep", e -> List.of(at("models.csv", CsvEditAccess.set(e.csv("models.csv"), "llama-3.1-8b", "params_total_b", "1e308"), "params_total_b"),
                        "'1e308' is out of range: the physical range of params_total_b is 0.0001 to 100000", "1 problem in the input")),
                new Case("model id in another case", "sweep", e -> List.of(at("corpus.conf", e.appendConf("tokencost.sweep.models = [Llama-3.1-8B]\n"), "tokencost.sweep.models"),
                        "unknown model 'Llama-3.1-8B' (did you mean 'llama-3.1-8b'?)")),
                new Case("hardware id in another case", "sweep", e -> List.of(at("corpus.conf", e.appendConf("tokencost.sweep.hardware = [H100-SXM]\n"), "tokencost.sweep.hardware"),
                        "unknown hardware 'H100-SXM' (did you mean 'h100-sxm'?)")),
                new Case("workload id in another case", "sweep", e -> List.of(at("corpus.conf", e.appendConf("tokencost.sweep.workloads = [Chat]\n"), "tokencost.sweep.workloads"),
                        "unknown workload 'Chat' (did you mean 'chat'?)")),
                new Case("lever in another case", "sweep", e -> List.of(at("corpus.conf", e.appendConf("tokencost.sweep.stack-levers = [FP8]\n"), "tokencost.sweep.stack-levers"),
                        "unknown lever 'FP8' (did you mean 'fp8'?)")),
                new Case("stack lever in another case", "sweep", e -> List.of(at("corpus.conf", e.appendConf("tokencost.sweep.stacks = [\"Paged-KV\"]\n"), "tokencost.sweep.stacks"),
                        "unknown optimization 'Paged-KV' (did you mean 'paged-kv'?)")),
                new Case("scenario id in another case", "lifecycle", e -> List.of(at("corpus.conf", e.appendConf("tokencost.lifecycle.scenarios = [Llama-70b-code-flat]\n"), "tokencost.lifecycle.scenarios"),
                        "unknown scenario 'Llama-70b-code-flat' (did you mean 'llama-70b-code-flat'?)")),
                new Case("scenario's model in another case", "lifecycle", e -> List.of(at("scenarios.csv", CsvEditAccess.set(e.csv("scenarios.csv"), "llama-70b-code-flat", "model_id", "Llama-3.1-70B"), "model_id"),
                        "refers to unknown model 'Llama-3.1-70B' (did you mean 'llama-3.1-70b'?)")),
                new Case("measurement's hardware in another case", "run", e -> List.of(at("reference-measurements.tsv", e.setMeasurement("hardware", "H200-SXM"), "hardware"),
                        "refers to unknown hardware 'H200-SXM' (did you mean 'h200-sxm'?)")),
                new Case("Spark master typo", "sweep", e -> List.of(at("corpus.conf", e.appendConf("tokencost.spark.master = \"locl[2]\"\n"), "tokencost.spark.master"),
                        "'locl[2]' is not a Spark master URL")),
                // issue 15: files inside --datasets that are not files
                new Case("catalog file is a folder", "sweep", e -> List.of(e.replace("models.csv", "folder") + ": is a folder, not a file")),
                new Case("catalog file is a symbolic link loop", "sweep", e -> List.of(e.replace("hardware.csv", "loop") + ": is a symbolic link loop")),
                new Case("scenarios file is a broken link", "lifecycle", e -> List.of(e.replace("scenarios.csv", "dangling") + ": is a broken symbolic link")),
                new Case("calibration folder is a file", "run", e -> {
                    Path calibration = e.replace("calibration", "file");
                    return List.of(calibration.resolve("reference-measurements.tsv") + ": does not exist: " + calibration + " is a file, not a folder");
                }),
                new Case("datasets is a symbolic link loop", "sweep", e -> path("--datasets", e.option("--datasets", e.loop("data loop")), "is a symbolic link loop")),
                new Case("warehouse is a symbolic link loop", "lifecycle", e -> path("--warehouse", e.option("--warehouse", e.loop("wh loop")), "is a symbolic link loop")),
                new Case("conf is a symbolic link loop", "sweep", e -> path("--conf", e.option("--conf", e.loop("conf loop")), "is a symbolic link loop")),
                new Case("warehouse under a symbolic link loop", "sweep", e -> {
                    Path loop = e.loop("loop");
                    return path("--warehouse", e.option("--warehouse", loop.resolve("wh")), "cannot be created: " + loop + " is a symbolic link loop");
                }),
                // issue 15: empty paths
                new Case("empty warehouse path", "sweep", e -> path("--warehouse", e.option("--warehouse", ""), "is empty: give a path (. for the current folder)")),
                new Case("empty conf path", "run", e -> path("--conf", e.option("--conf", ""), "is empty: give a path (. for the current folder)")),
                new Case("empty datasets path", "lifecycle", e -> path("--datasets", e.option("--datasets", ""), "is empty: give a path (. for the current folder)")),
                new Case("empty report path", "run", e -> path("--report", e.option("--report", ""), "is empty: give a path (. for the current folder)")),
                new Case("empty warehouse path in the conf", "sweep", e -> {
                    e.options().remove("--warehouse");
                    int line = e.appendConf("tokencost.warehouse.path = \"\"\n");
                    return List.of("error: tokencost.warehouse.path (" + e.conf() + ":" + line + ") '': is empty: give a path (. for the current folder)\n");
                }),
                // issue 15: conf warnings are errors with --strict
                new Case("key set twice, --strict", "sweep", e -> {
                    e.flag("--strict");
                    int line = e.appendConf("tokencost.sweep.batches = [1, 4]\n");
                    return List.of(at("corpus.conf", line, "tokencost.sweep.batches") + ": set twice with different values: [1, 4] here, [1, 8] on line 6");
                }),
                new Case("missing optional include, --strict", "run", e -> {
                    e.flag("--strict");
                    return List.of(e.conf() + ":" + e.appendConf("include \"missing ü.conf\"\n") + ": included file 'missing ü.conf' does not exist");
                }),
                // issue 15: bounded output
                new Case("50 MB one-line catalog", "sweep", e -> {
                    e.write("models.csv", "m".repeat(50 * 1024 * 1024).getBytes(StandardCharsets.UTF_8));
                    return List.of(e.csv("models.csv") + ":1: field '" + "m".repeat(79) + "…': unknown column");
                }),
                new Case("more than 50 problems in one file", "sweep", e -> {
                    StringBuilder rows = new StringBuilder(new String(read(e.csv("workloads.csv")), StandardCharsets.UTF_8));
                    for (int i = 0; i < 80; i++) rows.append("bad-").append(i).append(",x\n");
                    e.write("workloads.csv", rows.toString().getBytes(StandardCharsets.UTF_8));
                    return List.of("80 problems", "  ... and 30 more problems in " + e.csv("workloads.csv") + "\n");
                }));
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void aWarehouseWithATable() throws IOException {
        root = Files.createTempDirectory("tokencost corpus é 日本");
        warehouse = root.resolve("ware house ü");
        new DeltaTables(spark(), Warehouse.at(warehouse.toString(), root), List.of(RunLog.TABLE)).ensureAll();
        before = tree(warehouse);
    }

    @AfterAll
    static void enoughCases() {
        assertTrue(cases >= 75, "the corpus has at least 75 broken inputs: " + cases);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithItsPlaceAndReasonAndWritesNothing(Case c) throws IOException {
        Path dir = Files.createTempDirectory(root, "case ");
        Map<String, String> options = new java.util.LinkedHashMap<>();
        Env env = new Env(dir, TestCatalogs.copyDatasets(dir.resolve("data sets")), dir.resolve("corpus.conf"), options);
        Files.writeString(env.conf(), SMALL);
        options.put("--conf", env.conf().toString());
        options.put("--datasets", env.datasets().toString());
        options.put("--warehouse", warehouse.toString());
        options.put("--run-date", "2026-11-26");
        List<String> expected = c.breakIt().apply(env);
        if (c.command().equals("run")) options.putIfAbsent("--report", dir.resolve("report").toString());
        List<String> args = new java.util.ArrayList<>(List.of(c.command()));
        Map<String, Boolean> existed = new TreeMap<>();
        for (var o : options.entrySet()) {
            args.add(o.getKey());
            if (o.getValue() == null) continue; // a flag
            args.add(o.getValue());
            if (!o.getKey().equals("--run-date")) existed.put(o.getValue(), Files.exists(Path.of(o.getValue())));
        }
        var r = EstimateCommandTest.run(args.toArray(String[]::new));
        assertEquals(2, r.exit(), c.name() + ": " + r.err());
        refusedLikeTheCorpusSays(c, expected, r, existed);

        // validate runs every check the job runs: the same verdict, with (at least) the problems the job printed
        List<String> validate = new java.util.ArrayList<>(args);
        validate.set(0, "validate");
        if (!options.containsKey("--report")) validate.addAll(List.of("--report", dir.resolve("report").toString()));
        var v = EstimateCommandTest.run(validate.toArray(String[]::new));
        assertEquals(r.exit(), v.exit(), c.name() + ": validate gives the job's verdict: " + v.err() + v.out());
        refusedLikeTheCorpusSays(c, expected, v, existed);
        for (String line : problemLines(r.err())) {
            assertTrue(v.err().contains(line), c.name() + ": validate prints the job's problem '" + line + "' in:\n" + v.err());
        }
        cases++;
    }

    private static void refusedLikeTheCorpusSays(Case c, List<String> expected, EstimateCommandTest.Result r, Map<String, Boolean> existed)
            throws IOException {
        for (String part : expected) assertTrue(r.err().contains(part), c.name() + ": expected '" + part + "' in:\n" + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Caused by:"), c.name() + ": no stack trace:\n" + r.err());
        assertTrue(r.err().length() < 20_000, c.name() + ": the output is bounded, " + r.err().length() + " characters");
        if (expected.get(0).startsWith("error: --")) {
            assertEquals(1, r.err().lines().filter(l -> l.startsWith("error: ")).count(), c.name() + ": one line:\n" + r.err());
        }
        assertEquals(before, tree(warehouse), c.name() + ": the warehouse is untouched");
        for (var e : existed.entrySet()) {
            if (!e.getValue()) assertFalse(Files.exists(Path.of(e.getKey())), c.name() + ": " + e.getKey() + " was not created");
        }
    }

    /** The problems a command printed: its error lines and listed problems, without the count line. */
    static List<String> problemLines(String err) {
        return err.lines().filter(l -> !l.matches("error: [0-9]+ problems? in the input; nothing was computed:"))
                .filter(l -> l.startsWith("error: ") || l.startsWith("  ")).map(l -> l.startsWith("error: ") ? l.substring("error: ".length()) : l.strip())
                .toList();
    }

    @org.junit.jupiter.api.Test
    void validateAcceptsTheUnbrokenInputsAndWritesNothing() throws IOException {
        Path dir = Files.createTempDirectory(root, "valid ");
        Path datasets = TestCatalogs.copyDatasets(dir.resolve("data sets"));
        Path conf = Files.writeString(dir.resolve("corpus.conf"), SMALL);
        var v = EstimateCommandTest.run("validate", "--conf", conf.toString(), "--datasets", datasets.toString(), "--warehouse",
                warehouse.toString(), "--run-date", "2026-11-26", "--report", dir.resolve("report").toString());
        assertEquals(0, v.exit(), v.err());
        assertEquals("", v.err());
        for (String part : List.of("conf " + conf + ": ok", "catalogs: ok (", "from " + datasets, "sweep: ok (2 cells = 1 models x 1 hardware",
                "lifecycle: ok (1 scenarios x (1 + 0 draws))", "notebooks: ok (8 in ", "paths: ok (warehouse " + warehouse + ", report " + dir.resolve("report"))) {
            assertTrue(v.out().contains(part), "expected '" + part + "' in:\n" + v.out());
        }
        assertEquals(before, tree(warehouse), "the warehouse is untouched");
        assertFalse(Files.exists(dir.resolve("report")), "nothing is created");
    }

    @AfterEach
    void writableAgain() throws IOException {
        ReadOnlyFolders.restoreAll();
    }

    /** Every file under the warehouse with its size: a new table version or any written file changes it. */
    static Map<String, Long> tree(Path dir) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) out.put(dir.relativize(p).toString(), Files.size(p));
        }
        return out;
    }
}
