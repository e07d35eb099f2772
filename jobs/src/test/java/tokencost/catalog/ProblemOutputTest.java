package tokencost.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.TestCatalogs;

/**
 * What the user reads of bad input is bounded: at most 50 problems per file, then how many more; each quoted value cut
 * to 80 characters; one line per problem. Messages say what happened.
 */
class ProblemOutputTest {
    @TempDir
    Path dir;

    private static List<Problem> many(String file, int n) {
        List<Problem> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) out.add(new Problem(file, i, "layers", "'x' is not a whole number"));
        return out;
    }

    @Test
    void atMostFiftyProblemsPerFileThenHowManyMore() {
        List<Problem> ps = new ArrayList<>(many("models.csv", 120));
        ps.addAll(many("hardware.csv", 3));
        ps.add(new Problem("models.csv", 500, null, "one more, after another file's"));
        String message = new InvalidInputException(ps).getMessage();
        List<String> lines = message.lines().toList();
        assertEquals("124 problems in the input; nothing was computed:", lines.get(0));
        assertEquals(1 + 50 + 1 + 3, lines.size(), message);
        assertEquals("  - models.csv:50: field 'layers': 'x' is not a whole number", lines.get(50));
        assertEquals("  ... and 71 more problems in models.csv", lines.get(51), "right after the file's last printed problem");
        assertEquals("  - hardware.csv:3: field 'layers': 'x' is not a whole number", lines.get(54));
        assertEquals(124, new InvalidInputException(ps).problems().size(), "every problem is kept; only the printing is bounded");
        assertEquals(List.of("a:1: r", "... and 1 more problem in a"),
                InvalidInputException.lines(List.of(new Problem("a", 1, null, "r"), new Problem("a", 2, null, "r")), 1));
    }

    @Test
    void theBoundIsASystemProperty() {
        String before = System.getProperty(InvalidInputException.MAX_PER_FILE_PROPERTY);
        try {
            System.setProperty(InvalidInputException.MAX_PER_FILE_PROPERTY, "5");
            assertEquals(1 + 5 + 1, new InvalidInputException(many("m.csv", 9)).getMessage().lines().count());
            System.setProperty(InvalidInputException.MAX_PER_FILE_PROPERTY, "not a number");
            assertEquals(1 + 9, new InvalidInputException(many("m.csv", 9)).getMessage().lines().count(), "the default, 50");
        } finally {
            if (before == null) System.clearProperty(InvalidInputException.MAX_PER_FILE_PROPERTY);
            else System.setProperty(InvalidInputException.MAX_PER_FILE_PROPERTY, before);
        }
    }

    @Test
    void quotedValuesAreCutToEightyCharactersAndEachProblemIsOneLine() {
        String longValue = "v".repeat(10_000);
        Problem p = new Problem("models.csv", 2, "f".repeat(500), "'" + longValue + "' is not a number; '" + "w".repeat(81) + "' neither");
        String s = p.toString();
        assertTrue(s.contains("field '" + "f".repeat(79) + "…'"), s);
        assertTrue(s.contains("'" + "v".repeat(79) + "…' is not a number; '" + "w".repeat(79) + "…' neither"), s);
        assertTrue(s.length() < 300, s);
        assertEquals(80, Problem.cut("x".repeat(81)).length());
        assertEquals("x".repeat(80), Problem.cut("x".repeat(80)));
        assertEquals("models.csv:3: a\\nb", new Problem("models.csv", 3, null, "a\nb").toString(), "a value with a newline stays on its line");
        String withQuote = "it's " + "z".repeat(50_000);
        assertTrue(new Problem("f", 1, null, "'" + withQuote + "'").toString().length() <= 1010, "a value that cannot be cut as quoted is still bounded");
    }

    @Test
    void aFiftyMegabyteOneLineCatalogIsNotPrintedBack() throws Exception {
        Path d = TestCatalogs.copyDatasets(dir.resolve("datasets"));
        byte[] header = ("model_id," + "c".repeat(50 * 1024 * 1024) + ",x,y").getBytes(StandardCharsets.UTF_8);
        Files.write(d.resolve("models.csv"), header);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Catalog.load(CatalogSource.directory(d)));
        assertTrue(e.getMessage().length() < 10_000, "message of " + e.getMessage().length() + " characters");
        assertTrue(e.getMessage().contains("models.csv:1: field '" + "c".repeat(79) + "…': unknown column"), e.getMessage());
    }

    @Test
    void wholeNumbersThatOverflowSaySo() {
        assertEquals(2147483647, WholeNumbers.parseInt("2147483647"));
        assertEquals(-5, WholeNumbers.parseInt("-5"));
        for (String[] c : new String[][] {
                {"99999999999", "'99999999999' is too large for a whole number (at most 2147483647)"},
                {"-99999999999", "'-99999999999' is too small for a whole number (at least -2147483648)"},
                {"2147483648", "'2147483648' is too large for a whole number (at most 2147483647)"},
                {"12.5", "'12.5' is not a whole number"},
                {"1e3", "'1e3' is not a whole number"},
                {"eighty", "'eighty' is not a whole number"}}) {
            assertEquals(c[1], assertThrows(IllegalArgumentException.class, () -> WholeNumbers.parseInt(c[0])).getMessage());
        }
        assertEquals("'99999999999999999999' is too large for a whole number (at most 9223372036854775807)",
                assertThrows(IllegalArgumentException.class, () -> WholeNumbers.parseLong("99999999999999999999")).getMessage());
    }

    @Test
    void anUnknownIdInAnotherCaseGetsADidYouMean() {
        Catalog c = TestCatalogs.real();
        assertEquals("unknown model 'Llama-3.1-8B' (did you mean 'llama-3.1-8b'?)",
                assertThrows(IllegalArgumentException.class, () -> c.model("Llama-3.1-8B")).getMessage());
        assertEquals("unknown hardware 'H100-SXM' (did you mean 'h100-sxm'?)",
                assertThrows(IllegalArgumentException.class, () -> c.hardware("H100-SXM")).getMessage());
        assertEquals("unknown workload 'CHAT' (did you mean 'chat'?)",
                assertThrows(IllegalArgumentException.class, () -> c.workload("CHAT")).getMessage());
        String none = assertThrows(IllegalArgumentException.class, () -> c.model("gpt-9")).getMessage();
        assertTrue(none.startsWith("unknown model 'gpt-9' (known: ") && none.contains("llama-3.1-8b"), "no match: the known ids");
        assertTrue(c.models().containsKey("llama-3.1-8b") && !c.models().containsKey("Llama-3.1-8B"), "ids stay case-sensitive");
    }

    @Test
    void aCatalogFileThatIsNotAFileSaysWhatItIs() throws Exception {
        Path d = TestCatalogs.copyDatasets(dir.resolve("datasets"));
        Files.delete(d.resolve("workloads.csv"));
        Files.createDirectory(d.resolve("workloads.csv"));
        Files.delete(d.resolve("hardware.csv"));
        Files.createSymbolicLink(d.resolve("hardware.csv"), Path.of("hardware.csv"));
        Files.delete(d.resolve("runtimes.csv"));
        Files.createSymbolicLink(d.resolve("runtimes.csv"), d.resolve("gone.csv"));
        Files.delete(d.resolve("schemas/models.avsc"));
        Files.createDirectory(d.resolve("schemas/models.avsc"));
        List<Problem> ps = assertThrows(InvalidInputException.class, () -> Catalog.load(CatalogSource.directory(d))).problems();
        assertEquals(List.of(d.resolve("schemas/models.avsc") + ": is a folder, not a file", d.resolve("hardware.csv") + ": is a symbolic link loop",
                d.resolve("workloads.csv") + ": is a folder, not a file", d.resolve("runtimes.csv") + ": is a broken symbolic link"),
                ps.stream().map(Problem::toString).toList(), "a schema that cannot be read is not replaced by the bundled one");

        Path e = TestCatalogs.copyDatasets(dir.resolve("more"));
        try (var files = Files.walk(e.resolve("calibration"))) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        Files.writeString(e.resolve("calibration"), "a file where a folder belongs\n");
        Files.delete(e.resolve("scenarios.csv"));
        CatalogSource source = CatalogSource.directory(e);
        Catalog catalog = Catalog.load(source);
        assertEquals(e.resolve(ReferenceMeasurement.FILE) + ": does not exist: " + e.resolve("calibration") + " is a file, not a folder",
                assertThrows(InvalidInputException.class, () -> ReferenceMeasurement.load(source, catalog)).problems().get(0).toString());
        assertEquals(e.resolve("scenarios.csv") + ": file not found",
                assertThrows(InvalidInputException.class, () -> Scenario.load(source, catalog)).problems().get(0).toString());
    }

    @Test
    void parametersBeyondPhysicsAreBlamedOnParamsTotalB() throws Exception {
        for (String model : List.of("llama-3.1-8b", "deepseek-v3")) { // dense, and MoE (active < total)
            Path d = TestCatalogs.copyDatasets(dir.resolve(model));
            int line = CsvEdit.set(d.resolve("models.csv"), model, "params_total_b", "1e308");
            List<Problem> ps = assertThrows(InvalidInputException.class, () -> Catalog.load(CatalogSource.directory(d))).problems();
            assertEquals(1, ps.size(), ps::toString);
            assertEquals(line, ps.get(0).line());
            assertEquals("params_total_b", ps.get(0).field(), "not params_active_b: " + ps);
            assertEquals("'1e308' is out of range: the physical range of params_total_b is 0.0001 to 100000", ps.get(0).reason());
            assertFalse(ps.get(0).reason().contains("active"), ps::toString);
        }
    }
}
