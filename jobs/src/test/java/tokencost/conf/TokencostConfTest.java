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
}
