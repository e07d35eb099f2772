package tokencost.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class TokencostConfTest {
    @TempDir
    Path dir;

    private List<Problem> problems(String text) throws Exception {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, text);
        return assertThrows(InvalidInputException.class, () -> TokencostConf.load(f)).problems();
    }

    @Test
    void defaultConfSetsEveryValueToItsDeclaredDefault() {
        TokencostConf file = TokencostConf.load(TestCatalogs.home().resolve("conf/default.conf"));
        TokencostConf declared = TokencostConf.defaults();
        for (ConfEntry e : TokencostConf.ENTRIES) {
            assertEquals(declared.value(e), file.value(e), e.key());
        }
    }

    @Test
    void unknownKeyNamesFileLineAndSuggestion() throws Exception {
        List<Problem> ps = problems("tokencost {\n  engine {\n    max-batchh = 12\n  }\n}\n");
        assertEquals(1, ps.size());
        assertEquals(3, ps.get(0).line());
        assertEquals("tokencost.engine.max-batchh", ps.get(0).field());
        assertTrue(ps.get(0).reason().contains("did you mean 'tokencost.engine.max-batch'"), ps.get(0).reason());
    }

    @Test
    void wrongTypesAndRangesAllReported() throws Exception {
        List<Problem> ps = problems("tokencost.engine.max-batch = many\ntokencost.economics.pue = 0\n"
                + "tokencost.economics.pricing = lease\ntokencost.engine.memory-usable-fraction = 1.5\n");
        assertEquals(4, ps.size(), ps::toString);
        assertTrue(ps.get(0).reason().contains("expected a number"), ps.toString());
        assertTrue(ps.stream().anyMatch(p -> p.reason().contains("out of range") && p.line() == 2), ps.toString());
        assertTrue(ps.stream().anyMatch(p -> p.reason().contains("'lease' is not one of [auto, rent, own]")), ps.toString());
    }

    @Test
    void sparkSectionPassesThrough() throws Exception {
        Path f = dir.resolve("ok.conf");
        Files.writeString(f, "spark.sql.shuffle.partitions = 4\ntokencost.engine.max-batch = 64\n");
        TokencostConf conf = TokencostConf.load(f);
        assertEquals(64, conf.integer(TokencostConf.MAX_BATCH));
        assertEquals("4", conf.sparkSettings().get("spark.sql.shuffle.partitions"), conf.sparkSettings().toString());
    }

    @Test
    void syntaxErrorNamesTheLine() throws Exception {
        List<Problem> ps = problems("tokencost {\n  engine {\n    max-batch = \n");
        assertTrue(ps.get(0).reason().startsWith("not valid HOCON"), ps.toString());
    }

    @Test
    void sparkSubmitConfOverridesTheFile() throws Exception {
        Path f = dir.resolve("base.conf");
        Files.writeString(f, "tokencost.sweep.max-cells = 5\ntokencost.warehouse.path = local\n");
        java.util.Properties p = new java.util.Properties();
        p.setProperty("spark.tokencost.sweep.max-cells", "1000");
        p.setProperty("spark.tokencost.warehouse.path", "s3a://bucket/tokencost/warehouse");
        p.setProperty("spark.tokencost.sweep.models", "[llama-3.1-8b, mistral-7b]");
        p.setProperty("spark.sql.shuffle.partitions", "8"); // Spark's own settings are not the job's
        var base = com.typesafe.config.ConfigFactory.parseFile(f.toFile());
        TokencostConf c = TokencostConf.fromConfig(TokencostConf.sparkConfOverrides(p).withFallback(base), f.toString());
        assertEquals(1000L, c.longValue(TokencostConf.SWEEP_MAX_CELLS));
        assertEquals("s3a://bucket/tokencost/warehouse", c.string(TokencostConf.WAREHOUSE_PATH), "a URL stays whole");
        assertEquals(List.of("llama-3.1-8b", "mistral-7b"), c.strings(TokencostConf.SWEEP_MODELS));

        p.setProperty("spark.tokencost.sweep.modles", "[all]");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TokencostConf.fromConfig(TokencostConf.sparkConfOverrides(p).withFallback(base), f.toString()));
        assertTrue(e.getMessage().contains("spark conf spark.tokencost.sweep.modles: field 'tokencost.sweep.modles': unknown key"), e.getMessage());
    }

    private Problem onlyProblem(Path f) {
        List<Problem> ps = assertThrows(InvalidInputException.class, () -> TokencostConf.load(f)).problems();
        assertEquals(1, ps.size(), ps::toString);
        return ps.get(0);
    }

    @Test
    void missingRequiredIncludeNamesTheIncludingFileLineAndThePathAsWritten() throws Exception {
        Path f = dir.resolve("main.conf");
        Files.writeString(f, "tokencost.engine.max-batch = 64\n\n  include required(\"/abs/missing.conf\")\n");
        Problem p = onlyProblem(f);
        assertEquals(f.toString(), p.file());
        assertEquals(3, p.line());
        assertEquals("included file '/abs/missing.conf' does not exist", p.reason());
        assertFalse(p.toString().contains("classpath"), p.toString());

        Files.writeString(f, "include required(\"conf.d/local.conf\")\n");
        p = onlyProblem(f);
        assertEquals(1, p.line());
        assertEquals("included file 'conf.d/local.conf' does not exist (looked for " + dir.resolve("conf.d/local.conf") + ")", p.reason());

        Files.writeString(f, "include required(file(\"/abs/other.conf\"))\n");
        assertEquals("included file '/abs/other.conf' does not exist", onlyProblem(f).reason());
    }

    @Test
    void aPlainIncludeMayBeMissingAndIncludesResolveAsBefore() throws Exception {
        Path f = dir.resolve("main.conf");
        Files.writeString(dir.resolve("base.conf"), "tokencost.engine.max-batch = 32\n");
        Files.writeString(f, "include \"/conf/default.conf\"\ninclude \"optional-local.conf\"\ninclude \"base\"\ntokencost.sweep.max-cells = 7\n");
        TokencostConf c = TokencostConf.load(f);
        assertEquals(32, c.integer(TokencostConf.MAX_BATCH), "base.conf beside the file, found without its extension");
        assertEquals(7L, c.longValue(TokencostConf.SWEEP_MAX_CELLS));
        assertEquals(List.of("all"), c.strings(TokencostConf.SWEEP_MODELS), "the bundled conf/default.conf, as Typesafe resolves it");
    }

    @Test
    void anIncludeCycleNamesWhereItCloses() throws Exception {
        Path a = dir.resolve("a.conf"), b = dir.resolve("b.conf");
        Files.writeString(a, "tokencost.engine.max-batch = 64\ninclude \"b.conf\"\n");
        Files.writeString(b, "# b\n\ninclude \"a.conf\"\n");
        Problem p = onlyProblem(a);
        assertEquals(b.toString(), p.file());
        assertEquals(3, p.line());
        assertEquals("include cycle: " + a + ":2 includes \"b.conf\" -> " + b + ":3 includes \"a.conf\" -> back to " + a, p.reason());

        Files.writeString(a, "include \"a.conf\"\n");
        p = onlyProblem(a);
        assertEquals(a.toString(), p.file());
        assertEquals(1, p.line());
        assertTrue(p.reason().startsWith("include cycle"), p.reason());
    }

    @Test
    void anUnsetSubstitutionNamesFileAndLine() throws Exception {
        Path f = dir.resolve("sub.conf");
        Files.writeString(f, "tokencost {\n  warehouse.path = ${nope}\n}\n");
        Problem p = onlyProblem(f);
        assertEquals(f.toString(), p.file());
        assertEquals(2, p.line());
        assertTrue(p.reason().startsWith("${nope} is not set"), p.reason());
        assertTrue(p.reason().contains("${?nope}"), p.reason());
    }

    @Test
    void aProblemInAnIncludedFileNamesThatFile() throws Exception {
        Path inner = dir.resolve("inner.conf");
        Files.writeString(inner, "\ntokencost.sweep.modles = [all]\n");
        Path f = dir.resolve("outer.conf");
        Files.writeString(f, "include required(\"inner.conf\")\ntokencost.sweep.devices = [1]\n");
        Problem p = onlyProblem(f);
        assertEquals(inner.toString(), p.file());
        assertEquals(2, p.line());
        assertEquals("tokencost.sweep.modles", p.field());

        Files.writeString(inner, "tokencost.sweep {\n  models = [all\n");
        p = onlyProblem(f);
        assertEquals(inner.toString(), p.file());
        assertTrue(p.reason().startsWith("not valid HOCON: ") && !p.reason().contains(inner + ": "), p.reason());

        Files.writeString(inner, "tokencost.sweep.hardware = [h100-sxm]\n");
        TokencostConf c = TokencostConf.load(f);
        assertEquals(inner.toString(), c.file(TokencostConf.SWEEP_HARDWARE), "the file that set the key");
        assertEquals(f.toString(), c.file(TokencostConf.SWEEP_DEVICES));
    }

    @Test
    void aFolderIsNotAConf() throws Exception {
        Problem p = onlyProblem(dir);
        assertEquals("is a folder, not a conf file", p.reason());
    }
}
