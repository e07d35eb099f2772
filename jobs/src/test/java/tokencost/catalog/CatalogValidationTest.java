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
        rows.removeIf(r -> r.get(0).equals("paged-kv") && r.get(2).equals("paged_kv_utilization"));
        CsvEdit.write(csv, rows);
        assertProblem(only(problems(d)), "optimizations.csv", 0, "parameter", "lever 'paged-kv' lacks parameter 'paged_kv_utilization'");
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
}
