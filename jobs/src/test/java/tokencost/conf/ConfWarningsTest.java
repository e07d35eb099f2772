package tokencost.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.TestCatalogs;
import tokencost.catalog.InvalidInputException;
import tokencost.catalog.Problem;

/**
 * What a conf may do but probably did not mean (a key set twice with different values, a plain include of a file that
 * does not exist) is a warning naming file and line, and an error with strict loading; values that cannot be what
 * Spark or a whole number takes say so.
 */
class ConfWarningsTest {
    @TempDir
    Path dir;

    private Path conf(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private List<Problem> warnings(String text) throws Exception {
        return TokencostConf.load(conf("w.conf", text)).warnings();
    }

    @Test
    void aKeySetTwiceWithDifferentValuesIsAWarningNamingBothLines() throws Exception {
        Path f = conf("w.conf", "tokencost {\n  sweep { models = [llama-3.1-8b], devices = [1, 2] }\n}\n"
                + "tokencost.sweep.devices = [1, 4]\n");
        TokencostConf c = TokencostConf.load(f);
        assertEquals(List.of(4), c.integers(TokencostConf.SWEEP_DEVICES).subList(1, 2), "HOCON's rule stays: the later one wins");
        Problem w = c.warnings().get(0);
        assertEquals(1, c.warnings().size(), c.warnings()::toString);
        assertEquals(f.toString(), w.file());
        assertEquals(4, w.line());
        assertEquals("tokencost.sweep.devices", w.field());
        assertEquals("set twice with different values: [1, 4] here, [1, 2] on line 2 (the later one wins)", w.reason());

        List<Problem> twice = warnings("tokencost.engine.max-batch = 64\ntokencost.engine.max-batch = 32\n"
                + "tokencost.engine { max-batch = 16 }\n");
        assertEquals(List.of(2, 3), twice.stream().map(Problem::line).toList(), "64, then 32, then 16: each change warned");
        assertTrue(twice.get(1).reason().contains("16 here, 32 on line 2"), twice::toString);
    }

    @Test
    void notDuplicates() throws Exception {
        String text = "tokencost.sweep.models = [llama-3.1-8b, mistral-7b]\n"
                + "tokencost.sweep { models = [\"llama-3.1-8b\", \"mistral-7b\"] }\n"          // the same value, written otherwise
                + "tokencost.sweep.batches = [1]\ntokencost.sweep.batches += 2\n"               // an append
                + "tokencost.warehouse.path = \"w\"\ntokencost.warehouse.path = ${?TC_WAREHOUSE_UNSET}\n" // may be overridden
                + "tokencost.sweep.stacks = [fp8]\ntokencost.sweep.stacks = ${tokencost.sweep.stacks} [int4]\n" // refers to itself
                + "tokencost.engine { max-batch = 64 }\ntokencost.engine { max-prefill-tokens = 4096 }\n"       // objects merge
                + "spark { \"spark.driver.memory\" = 2g }\nspark.spark.driver.memory = 3g\n"   // a quoted key is one key
                + "# tokencost.sweep.models = [x]\n// tokencost.sweep.models = [y]\n";
        assertEquals(List.of(), warnings(text));
        for (String shipped : List.of("default", "benchmark", "fleet-weekly", "cluster")) {
            assertEquals(List.of(), TokencostConf.load(TestCatalogs.home().resolve("conf/" + shipped + ".conf")).warnings(), shipped);
        }
    }

    @Test
    void overridingAnIncludedFileIsOnPurposeButAnIncludedFileIsCheckedToo() throws Exception {
        Path base = conf("base.conf", "tokencost.engine.max-batch = 32\n\ntokencost.engine.max-batch = 48\n");
        Path f = conf("main.conf", "include \"base.conf\"\ntokencost.engine.max-batch = 64\n");
        TokencostConf c = TokencostConf.load(f);
        assertEquals(64, c.integer(TokencostConf.MAX_BATCH));
        assertEquals(1, c.warnings().size(), c.warnings()::toString);
        assertEquals(base.toString(), c.warnings().get(0).file(), "the included file's own duplicate");
        assertEquals(3, c.warnings().get(0).line());
    }

    @Test
    void aMissingPlainIncludeIsAWarningNamingFileAndLine() throws Exception {
        Path f = conf("inc.conf", "tokencost.engine.max-batch = 64\n\ninclude \"local ü.conf\"\n");
        TokencostConf c = TokencostConf.load(f);
        assertEquals(64, c.integer(TokencostConf.MAX_BATCH), "loaded without it");
        Problem w = c.warnings().get(0);
        assertEquals(f.toString(), w.file());
        assertEquals(3, w.line());
        assertTrue(w.reason().startsWith("included file 'local ü.conf' does not exist (looked for " + dir.resolve("local ü.conf") + "): skipped"),
                w.reason());
    }

    @Test
    void strictMakesEveryWarningAnErrorReportedWithTheOtherProblems() throws Exception {
        Path f = conf("s.conf", "include \"gone.conf\"\ntokencost.lifecycle.draws = 10\ntokencost.lifecycle.draws = 20\n"
                + "tokencost.sweep.modles = [all]\n");
        List<Problem> ps = assertThrows(InvalidInputException.class, () -> TokencostConf.load(f, true)).problems();
        assertEquals(3, ps.size(), ps::toString);
        assertEquals(1, ps.get(0).line());
        assertTrue(ps.get(0).reason().contains("'gone.conf' does not exist"), ps.toString());
        assertEquals(3, ps.get(1).line());
        assertEquals("tokencost.lifecycle.draws", ps.get(1).field());
        assertTrue(ps.get(2).reason().startsWith("unknown key"), ps.toString());

        Files.writeString(f, "tokencost.lifecycle.draws = 10\ntokencost.lifecycle.draws = 20\n");
        assertEquals(1, assertThrows(InvalidInputException.class, () -> TokencostConf.load(f, true)).problems().size());
        assertEquals(20, TokencostConf.load(f, false).integer(TokencostConf.LIFECYCLE_DRAWS), "without --strict: a warning");
        Files.writeString(f, "tokencost.lifecycle.draws = 10\n");
        assertEquals(10, TokencostConf.load(f, true).integer(TokencostConf.LIFECYCLE_DRAWS), "nothing to warn about");
    }

    @Test
    void wholeNumbersTooLargeSaySo() throws Exception {
        Path f = conf("n.conf", "tokencost.engine.max-batch = 99999999999\ntokencost.sweep.devices = [1, 99999999999]\n"
                + "tokencost.sweep.max-cells = 1e30\ntokencost.lifecycle.seed = 3.5\n");
        List<Problem> ps = assertThrows(InvalidInputException.class, () -> TokencostConf.load(f)).problems();
        assertEquals(4, ps.size(), ps::toString);
        assertEquals("99999999999 is too large for a whole number (at most 2147483647)", ps.get(0).reason());
        assertTrue(ps.get(1).reason().endsWith("found 99999999999, which is too large for a whole number (at most 2147483647)"), ps.toString());
        assertEquals("1.0E30 is too large for a whole number (at most 9223372036854775807)", ps.get(2).reason());
        assertEquals("expected a whole number, got 3.5", ps.get(3).reason());
    }

    @Test
    void theSparkMasterIsOneSparkAccepts() throws Exception {
        for (String ok : List.of("local", "local[*]", "local[4]", "local[4,2]", "local[*, 3]", "local-cluster[2,1,1024]",
                "spark://master:7077", "spark://a:7077,b:7077", "yarn", "k8s://https://api.example:6443")) {
            TokencostConf.checkSparkMaster(ok);
        }
        for (String bad : List.of("locl[2]", "local[0]", "local[]", "spark:/master", "spark://", "", "Local[*]", "yarn-cluster")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokencostConf.checkSparkMaster(bad), bad);
            assertTrue(e.getMessage().startsWith("'" + bad + "' is not a Spark master URL"), e.getMessage());
        }
        Path f = conf("m.conf", "\ntokencost.spark.master = \"locl[2]\"\n");
        Problem p = assertThrows(InvalidInputException.class, () -> TokencostConf.load(f)).problems().get(0);
        assertEquals(2, p.line());
        assertEquals("tokencost.spark.master", p.field());
    }

    @Test
    void aLongValueIsNotPrintedBackWhole() throws Exception {
        Path f = conf("l.conf", "tokencost.economics.pricing = " + "x".repeat(5000) + "\ntokencost.sweep.devices = [" + "y".repeat(5000) + "]\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TokencostConf.load(f));
        assertEquals(2, e.problems().size());
        assertTrue(e.getMessage().length() < 1000, e.getMessage());
        assertTrue(e.getMessage().contains("'" + "x".repeat(79) + "…' is not one of [auto, rent, own]"), e.getMessage());
    }
}
