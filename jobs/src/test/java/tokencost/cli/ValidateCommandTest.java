package tokencost.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.TestCatalogs;
import tokencost.catalog.CsvEditAccess;

/** validate runs every check of every job and lists every problem at once (BadInputCorpusTest: the same verdicts as the jobs). */
class ValidateCommandTest {
    @TempDir
    Path dir;

    @Test
    void everyProblemOfEveryStageAtOnce() throws Exception {
        Path datasets = TestCatalogs.copyDatasets(dir.resolve("datasets"));
        int layers = CsvEditAccess.set(datasets.resolve("models.csv"), "llama-3.1-70b", "layers", "-32");
        int pue = CsvEditAccess.set(datasets.resolve("scenarios.csv"), "llama-405b-chat-base", "pue", "0.8");
        Path conf = Files.writeString(dir.resolve("v.conf"), "tokencost.lifecycle.draws = 5\ntokencost.lifecycle.draws = 6\n");
        Path file = Files.writeString(dir.resolve("a file"), "x");
        var r = EstimateCommandTest.run("validate", "--conf", conf.toString(), "--datasets", datasets.toString(), "--warehouse", file.toString(),
                "--report", dir.resolve("r").toString(), "--run-date", "2026-02-30");
        assertEquals(2, r.exit(), r.err());
        assertEquals(List.of(
                "warning: " + conf + ":2: field 'tokencost.lifecycle.draws': set twice with different values: 6 here, 5 on line 1 (the later one wins)",
                "error: --warehouse '" + file + "': is a file, not a folder",
                "error: --run-date must be YYYY-MM-DD, got '2026-02-30'",
                "error: 2 problems in the input; nothing was computed:",
                "  - " + datasets.resolve("models.csv") + ":" + layers + ": field 'layers': must be positive, got -32",
                "  - " + datasets.resolve("scenarios.csv") + ":" + pue + ": field 'pue': '0.8' is out of range: the physical range of pue is 1 to 10"),
                r.err().lines().toList(), "scenarios.csv is checked even though the catalog it refers to is not whole");
        assertEquals("", r.out());
        assertFalse(Files.exists(dir.resolve("r")));
    }

    @Test
    void theConfAgainstTheCatalogsSweepAndLifecycleAtOnce() throws Exception {
        Path conf = Files.writeString(dir.resolve("c.conf"), "tokencost.sweep.models = [Llama-3.1-8B, llama-3.1-70b]\n"
                + "tokencost.sweep.stack-levers = [fp8, turbo]\ntokencost.lifecycle.scenarios = [moon-base]\n");
        var r = EstimateCommandTest.run("validate", "--conf", conf.toString(), "--warehouse", dir.resolve("wh").toString(),
                "--report", dir.resolve("r").toString());
        assertEquals(2, r.exit(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals("error: 3 problems in the input; nothing was computed:", lines.get(0));
        assertEquals("  - " + conf + ":1: field 'tokencost.sweep.models': unknown model 'Llama-3.1-8B' (did you mean 'llama-3.1-8b'?)", lines.get(1));
        assertTrue(lines.get(2).startsWith("  - " + conf + ":2: field 'tokencost.sweep.stack-levers': unknown lever 'turbo' (known: "), lines.get(2));
        assertTrue(lines.get(3).startsWith("  - " + conf + ":3: field 'tokencost.lifecycle.scenarios': unknown scenario 'moon-base' (known: "), lines.get(3));

        Files.writeString(conf, "tokencost.sweep.models = [llama-3.1-8b]\ntokencost.sweep.hardware = [h100-sxm]\n");
        var ok = EstimateCommandTest.run("validate", "--conf", conf.toString(), "--warehouse", dir.resolve("wh").toString(),
                "--report", dir.resolve("r").toString());
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("sweep: ok (32,256 cells = 1 models x 1 hardware x 8 workloads x 48 stacks x 7 device counts x 12 batches"),
                ok.out());
        assertTrue(ok.out().contains("lifecycle: ok (6 scenarios x (1 + 200 draws))"), ok.out());
        assertTrue(ok.out().contains("257 reference measurements"), ok.out());
    }
}
