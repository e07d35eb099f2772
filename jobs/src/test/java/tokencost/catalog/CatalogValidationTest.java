package tokencost.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.TestCatalogs;

/** Bad catalogs: each kind of problem gives a message naming file, line, field and reason. */
class CatalogValidationTest {

    @TempDir
    Path dir;

    private Path datasets() {
        return TestCatalogs.copyDatasets(dir.resolve("datasets"));
    }

    private static List<Problem> problems(Path datasets) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Catalog.load(CatalogSource.directory(datasets)));
        return e.problems();
    }

    private static Problem only(List<Problem> problems) {
        assertEquals(1, problems.size(), () -> "expected exactly one problem, got " + problems);
        return problems.get(0);
    }

    private static void assertProblem(Problem p, String fileSuffix, int line, String field, String reasonPart) {
        assertTrue(p.file().endsWith(fileSuffix), () -> "file " + p.file());
        assertEquals(line, p.line(), () -> "line of " + p);
        assertEquals(field, p.field(), () -> "field of " + p);
        assertTrue(p.reason().contains(reasonPart), () -> "reason of " + p + " should contain '" + reasonPart + "'");
    }

    @Test
    void realCatalogsLoad() {
        Catalog c = TestCatalogs.real();
        assertTrue(c.models().size() >= 15, "at least 15 models");
        assertTrue(c.hardware().size() >= 14, "at least 14 hardware");
        assertTrue(c.workloads().size() >= 8, "at least 8 workloads");
        for (String id : List.of("llama-2-70b", "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "mistral-7b", "mixtral-8x7b",
                "qwen2.5-72b", "gemma-2-27b", "phi-3-mini", "gpt-3-175b", "deepseek-v3")) {
            assertTrue(c.models().containsKey(id), id);
        }
        for (String id : List.of("a100-sxm-80gb", "h100-sxm", "h200-sxm", "b200", "mi300x", "mi325x", "tpu-v5e", "tpu-v5p",
                "tpu-v6e", "inferentia2", "trainium2", "groq-lpu", "apple-m4-max", "snapdragon-x-elite")) {
            assertTrue(c.hardware().containsKey(id), id);
        }
        for (String id : List.of("chat", "code-assistant", "rag-long-context", "summarization", "batch-analytics", "agentic",
                "on-device-assistant", "throughput-benchmark")) {
            assertTrue(c.workloads().containsKey(id), id);
        }
    }

    @Test
    void wrongType() {
        Path d = datasets();
        int line = CsvEdit.set(d.resolve("models.csv"), "llama-3.1-70b", "layers", "eighty");
        assertProblem(only(problems(d)), "models.csv", line, "layers", "'eighty' is not a whole number");
    }

    @Test
    void missingRequiredValue() {
        Path d = datasets();
        int line = CsvEdit.set(d.resolve("hardware.csv"), "h100-sxm", "memory_gib", "");
        assertProblem(only(problems(d)), "hardware.csv", line, "memory_gib", "required value is missing");
    }

    @Test
    void missingRequiredColumn() {
        Path d = datasets();
        CsvEdit.dropColumn(d.resolve("workloads.csv"), "input_tokens");
        assertProblem(only(problems(d)), "workloads.csv", 1, "input_tokens", "required column is missing");
    }

    @Test
    void unknownColumn() {
        Path d = datasets();
        CsvEdit.renameColumn(d.resolve("models.csv"), "notes", "remarks");
        assertProblem(only(problems(d)), "models.csv", 1, "remarks", "unknown column");
    }

    @Test
    void nonPositive() {
        Path d = datasets();
        int line = CsvEdit.set(d.resolve("hardware.csv"), "mi300x", "memory_bw_gb_s", "0");
        assertProblem(only(problems(d)), "hardware.csv", line, "memory_bw_gb_s", "must be positive");
    }

    @Test
    void negative() {
        Path d = datasets();
        int line = CsvEdit.set(d.resolve("models.csv"), "mistral-7b", "kv_lora_rank", "-1");
        assertProblem(only(problems(d)), "models.csv", line, "kv_lora_rank", "must not be negative");
    }

    @Test
    void notFiniteNumbers() {
        Path d = datasets();
        int nan = CsvEdit.set(d.resolve("models.csv"), "llama-3.1-8b", "params_total_b", "NaN");
        int inf = CsvEdit.set(d.resolve("hardware.csv"), "b200", "power_w", "Infinity");
        List<Problem> ps = problems(d);
        assertEquals(2, ps.size(), ps::toString);
        assertProblem(ps.get(0), "models.csv", nan, "params_total_b", "not a finite number");
        assertProblem(ps.get(1), "hardware.csv", inf, "power_w", "not a finite number");
    }

    @Test
    void fractionOutOfRange() {
        Path d = datasets();
        int line = CsvEdit.set(d.resolve("workloads.csv"), "chat", "prefix_cache_share", "1.5");
        assertProblem(only(problems(d)), "workloads.csv", line, "prefix_cache_share", "between 0 and 1");
    }

    @Test
    void duplicateKey() {
        Path d = datasets();
        int line = CsvEdit.duplicateRow(d.resolve("hardware.csv"), "h200-sxm");
        Problem p = only(problems(d));
        assertProblem(p, "hardware.csv", line, "hardware_id", "duplicate key hardware_id=h200-sxm");
    }

    @Test
    void unknownEnumSymbol() {
        Path d = datasets();
        int line = CsvEdit.set(d.resolve("models.csv"), "llama-2-70b", "attention_kind", "GQA2");
        assertProblem(only(problems(d)), "models.csv", line, "attention_kind", "is not one of [MHA, GQA, MQA, MLA]");
    }

    @Test
    void danglingReferenceInCalibration() {
        Path d = datasets();
        Path tsv = d.resolve(ReferenceMeasurement.FILE);
        String text = TestCatalogs.read(tsv);
        String row = text.lines().filter(l -> l.contains("\tllama-3.1-8b\th200-sxm\t")).findFirst().orElseThrow();
        text = text.replace(row, row.replace("\tllama-3.1-8b\th200-sxm\t", "\tllama-9-8b\th200-sxm\t").replace("\tmax\t", "\tmany\t"));
        TestCatalogs.write(tsv, text);
        int line = text.lines().toList().indexOf(row.replace("\tllama-3.1-8b\th200-sxm\t", "\tllama-9-8b\th200-sxm\t")
                .replace("\tmax\t", "\tmany\t")) + 1;
        Catalog c = Catalog.load(CatalogSource.directory(d));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ReferenceMeasurement.load(CatalogSource.directory(d), c));
        assertEquals(2, e.problems().size(), "both problems of the row at once: " + e.problems());
        assertProblem(e.problems().get(1), "reference-measurements.tsv", line, "model", "unknown model 'llama-9-8b'");
        assertProblem(e.problems().get(0), "reference-measurements.tsv", line, "batch", "'many' is not a whole number");
    }

    @Test
    void missingLeverParameter() {
        Path d = datasets();
        Path csv = d.resolve("optimizations.csv");
        List<List<String>> rows = CsvEdit.rows(csv);
        int parameter = rows.get(0).indexOf("parameter");
        rows.removeIf(r -> r.get(0).equals("paged-kv") && r.get(parameter).equals("paged_kv_utilization"));
        CsvEdit.write(csv, rows);
        assertProblem(only(problems(d)), "optimizations.csv", 0, "parameter", "lever 'paged-kv' lacks parameter 'paged_kv_utilization'");
    }

    @Test
    void computePrecisionIsOneTheEngineKnows() {
        Path d = datasets();
        int line = CsvEdit.set(d.resolve("optimizations.csv"), "int8", "compute_precision", "fp6");
        assertProblem(only(problems(d)), "optimizations.csv", line, "compute_precision", "'fp6' is not one of [bf16, fp8, int8, int4, fp4]");
    }

    @Test
    void aWeightPrecisionSaysWhatItComputesIn() {
        Path d = datasets();
        int line = CsvEdit.set(d.resolve("optimizations.csv"), "fp8", "compute_precision", "");
        assertProblem(only(problems(d)), "optimizations.csv", line, "compute_precision", "lever 'fp8' sets the weight precision");
        d = TestCatalogs.copyDatasets(dir.resolve("again"));
        line = CsvEdit.set(d.resolve("optimizations.csv"), "fp8-kv", "compute_precision", "fp8");
        assertProblem(only(problems(d)), "optimizations.csv", line, "compute_precision", "only weight_precision levers have a compute precision");
    }

    @Test
    void aLeverSaysTheSameOnEachOfItsRows() {
        Path d = datasets();
        Path csv = d.resolve("optimizations.csv");
        List<List<String>> rows = CsvEdit.rows(csv);
        int col = rows.get(0).indexOf("compute_precision");
        int first = -1;
        int second = -1;
        for (int i = 1; i < rows.size(); i++) {
            if (!rows.get(i).get(0).equals("int4")) continue;
            if (first < 0) {
                first = i + 1;
            } else {
                rows.get(i).set(col, "int4");
                second = i + 1;
                break;
            }
        }
        CsvEdit.write(csv, rows);
        assertProblem(only(problems(d)), "optimizations.csv", second, "compute_precision",
                "lever 'int4' was given compute_precision 'bf16' on an earlier line (" + first + ")");
    }

    @Test
    void oneBaselineWeightPrecision() {
        Path d = datasets();
        CsvEdit.set(d.resolve("optimizations.csv"), "fp8", "baseline", "true");
        assertProblem(only(problems(d)), "optimizations.csv", 0, "baseline", "found 'bf16', 'fp8'");
        d = TestCatalogs.copyDatasets(dir.resolve("again"));
        int line = CsvEdit.set(d.resolve("optimizations.csv"), "flash-attention", "aliases", "fp8");
        assertProblem(only(problems(d)), "optimizations.csv", line, "aliases", "alias 'fp8' of 'flash-attention' already names lever 'fp8'");
    }

    @Test
    void oneLeverOfACategoryThatCarriesItsAbsence() {
        Path d = datasets();
        Path csv = d.resolve("optimizations.csv");
        TestCatalogs.write(csv, TestCatalogs.read(csv) + "orca-batching,batching,,,,static_batch_slot_utilization,0.3,fraction,test,\n");
        assertProblem(only(problems(d)), "optimizations.csv", 0, "category",
                "needs exactly one lever of category 'batching' (the engine models one, and reads from it what serving is like "
                        + "without it), found 'continuous-batching', 'orca-batching'");
    }

    @Test
    void inconsistentModelRow() {
        Path d = datasets();
        int line = CsvEdit.set(d.resolve("models.csv"), "llama-3.1-70b", "params_active_b", "35");
        assertProblem(only(problems(d)), "models.csv", line, "params_active_b", "dense model's active parameters equal its total");
    }

    @Test
    void emptyFile() throws Exception {
        Path d = datasets();
        Files.writeString(d.resolve("workloads.csv"), "");
        assertProblem(only(problems(d)), "workloads.csv", 1, null, "file is empty");
    }

    @Test
    void strayQuote() throws Exception {
        Path d = datasets();
        Path csv = d.resolve("workloads.csv");
        List<String> lines = Files.readAllLines(csv);
        lines.set(2, lines.get(2).replaceFirst(",", ",Co\"de "));
        Files.write(csv, lines);
        List<Problem> ps = problems(d);
        assertTrue(ps.stream().anyMatch(p -> p.line() == 3 && p.reason().contains("stray double quote")), ps::toString);
    }

    @Test
    void wrongEncoding() throws Exception {
        Path d = datasets();
        Path csv = d.resolve("models.csv");
        byte[] bytes = Files.readAllBytes(csv);
        String text = new String(bytes, StandardCharsets.UTF_8);
        int thirdLineStart = text.indexOf('\n', text.indexOf('\n') + 1) + 1;
        byte[] broken = bytes.clone();
        broken[thirdLineStart + 2] = (byte) 0xE9; // Latin-1 'é' inside the third line
        Files.write(csv, broken);
        assertProblem(only(problems(d)), "models.csv", 3, null, "not valid UTF-8");
    }

    @Test
    void everyProblemReportedAtOnce() {
        Path d = datasets();
        CsvEdit.set(d.resolve("models.csv"), "gpt-3-175b", "layers", "0");
        CsvEdit.set(d.resolve("hardware.csv"), "tpu-v5e", "power_w", "lots");
        CsvEdit.set(d.resolve("workloads.csv"), "agentic", "output_tokens", "-3");
        List<Problem> ps = problems(d);
        assertEquals(3, ps.size(), ps::toString);
        String msg = new InvalidInputException(ps).getMessage();
        assertTrue(msg.startsWith("3 problems"), msg);
        assertTrue(msg.contains("models.csv") && msg.contains("hardware.csv") && msg.contains("workloads.csv"), msg);
    }

    @Test
    void outsideThePhysicalRange() {
        Path d = datasets();
        int h100 = CsvEdit.set(d.resolve("hardware.csv"), "h100-sxm", "memory_gib", "1e308");
        CsvEdit.set(d.resolve("hardware.csv"), "h100-sxm", "price_usd_per_hour", "1e308");
        int m = CsvEdit.set(d.resolve("models.csv"), "llama-3.1-8b", "layers", "5000");
        int w = CsvEdit.set(d.resolve("workloads.csv"), "chat", "input_tokens", "1000000000");
        List<Problem> ps = problems(d);
        assertEquals(4, ps.size(), ps::toString);
        assertProblem(ps.get(0), "models.csv", m, "layers", "'5000' is out of range: the physical range of layers is 1 to 1000");
        assertProblem(ps.get(1), "hardware.csv", h100, "memory_gib", "'1e308' is out of range: the physical range of memory_gib is 0.01 to 100000");
        assertProblem(ps.get(2), "hardware.csv", h100, "price_usd_per_hour", "'1e308' is out of range: the physical range of price_usd_per_hour is 0.001 to 10000");
        assertProblem(ps.get(3), "workloads.csv", w, "input_tokens", "'1000000000' is out of range");
    }

    @Test
    void theRangeBoundsThemselvesAreAllowed() {
        Path d = datasets();
        CsvEdit.set(d.resolve("hardware.csv"), "h100-sxm", "memory_bw_gb_s", "1000000");
        CsvEdit.set(d.resolve("models.csv"), "llama-3.1-8b", "layers", "1000");
        Catalog c = Catalog.load(CatalogSource.directory(d));
        assertEquals(1e6, c.hardware("h100-sxm").memoryBwGbS());
        assertEquals(1000, c.model("llama-3.1-8b").layers());
    }

    @Test
    void aDistributionReachingOutsideTheRangeIsRefused() {
        Path d = datasets();
        int line = CsvEdit.set(d.resolve("scenarios.csv"), "llama-70b-code-flat", "monthly_growth", "triangular(0;0.1;50)");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Scenario.load(CatalogSource.directory(d), TestCatalogs.real()));
        assertProblem(only(e.problems()), "scenarios.csv", line, "monthly_growth",
                "'triangular(0;0.1;50)' is out of range: the physical range of monthly_growth is -1 to 10");
    }

    /** Every numeric field of every catalog schema (datasets/schemas/*.avsc, whatever files are there) has a range. */
    @Test
    void everyNumericFieldOfEverySchemaHasAPhysicalRange() throws Exception {
        List<Path> schemas;
        try (var s = Files.list(TestCatalogs.datasets().resolve("schemas"))) {
            schemas = s.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
        assertTrue(schemas.size() >= 5, schemas::toString);
        for (Path p : schemas) {
            org.apache.avro.Schema schema = new org.apache.avro.Schema.Parser().parse(Files.readString(p));
            for (org.apache.avro.Schema.Field f : schema.getFields()) {
                org.apache.avro.Schema t = f.schema();
                if (t.getType() == org.apache.avro.Schema.Type.UNION) {
                    t = t.getTypes().stream().filter(x -> x.getType() != org.apache.avro.Schema.Type.NULL).findFirst().orElseThrow();
                }
                boolean numeric = switch (t.getType()) {
                    case INT, LONG, FLOAT, DOUBLE -> true;
                    default -> "quantity".equals(String.valueOf(f.getObjectProp("constraint")));
                };
                double[] r = AvroCsvLoader.range(f);
                if (numeric) assertTrue(r != null, p.getFileName() + ": field " + f.name() + " has no range");
                if (r != null && "fraction".equals(String.valueOf(f.getObjectProp("constraint")))) {
                    assertTrue(r[0] >= 0 && r[1] <= 1, p.getFileName() + ": a fraction's range stays within 0..1: " + f.name());
                }
            }
        }
    }

    @Test
    void aBrokenRangeInASchemaIsAProblemNotACrash() throws Exception {
        Path d = datasets();
        Path schema = d.resolve("schemas/workloads.avsc");
        Files.writeString(schema, Files.readString(schema).replace("\"range\": [1, 100000000]", "\"range\": [100, 1]"));
        List<Problem> ps = problems(d);
        assertTrue(ps.stream().anyMatch(p -> p.file().endsWith("workloads.csv") && "input_tokens".equals(p.field())
                && p.reason().contains("range must be [min, max]")), ps::toString);
    }

    @Test
    void rangeBoundsReadAsWritten() {
        assertEquals("100000", AvroCsvLoader.number(1e5));
        assertEquals("0.001", AvroCsvLoader.number(0.001));
        assertEquals("1e+09", AvroCsvLoader.number(1e9));
        assertEquals("1.5e+32", AvroCsvLoader.number(1.5e32));
        assertEquals("-1", AvroCsvLoader.number(-1));
    }
}
