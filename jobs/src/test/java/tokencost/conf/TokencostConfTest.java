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
        assertEquals(64, TokencostConf.load(f).integer(TokencostConf.MAX_BATCH));
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
}
