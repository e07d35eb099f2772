package tokencost.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.TestCatalogs;
import tokencost.catalog.InvalidInputException;
import tokencost.catalog.Problem;
import tokencost.conf.TokencostConf;
import tokencost.engine.OptimizationStack;

class SweepPlanTest {
    @TempDir
    Path dir;

    private TokencostConf conf(String text) throws Exception {
        Path f = dir.resolve("sweep.conf");
        Files.writeString(f, text);
        return TokencostConf.load(f);
    }

    private List<Problem> problems(String text) throws Exception {
        TokencostConf c = conf(text);
        return assertThrows(InvalidInputException.class, () -> SweepPlan.from(c, TestCatalogs.real())).problems();
    }

    @Test
    void defaultConfIsTheWholeCatalog() {
        TokencostConf c = TokencostConf.load(TestCatalogs.home().resolve("conf/default.conf"));
        SweepPlan plan = SweepPlan.from(c, TestCatalogs.real());
        var cat = TestCatalogs.real();
        assertEquals(cat.models().size(), plan.models().size());
        assertEquals(cat.hardware().size(), plan.hardware().size());
        assertEquals(cat.workloads().size(), plan.workloads().size());
        // fp8 | int4 | neither, times 2^4 for the four on/off levers
        assertEquals(48, plan.stacks().size());
        assertEquals((long) cat.models().size() * cat.hardware().size() * cat.workloads().size() * 48 * 7 * 12, plan.cells());
        assertTrue(plan.cells() > 1_000_000, "millions of cells");
    }

    @Test
    void sliceIndexCoversEveryCombinationOnce() throws Exception {
        SweepPlan plan = SweepPlan.from(conf("tokencost.sweep { models = [llama-3.1-8b, mistral-7b, phi-3-mini]\n"
                + " hardware = [h100-sxm, tpu-v5e]\n workloads = [chat, agentic, summarization, code-assistant] }"), TestCatalogs.real());
        Set<String> seen = new HashSet<>();
        for (long i = 0; i < plan.slices(); i++) assertTrue(seen.add(String.join("/", plan.slice(i))));
        assertEquals(24, seen.size());
        int covered = 0;
        for (int p = 0; p < 5; p++) {
            long[] r = SweepJob.sliceRange(p, 5, plan.slices());
            covered += (int) (r[1] - r[0]);
        }
        assertEquals(24, covered);
    }

    @Test
    void namedStacksAndLeverCombinationsAreDeduplicated() throws Exception {
        SweepPlan plan = SweepPlan.from(conf("tokencost.sweep { stacks = [\"fp8,paged-kv\", \"paged-kv,fp8\"]\n"
                + " stack-levers = [fp8, int8, paged-kv, prefix-cache] }"), TestCatalogs.real());
        List<String> ids = plan.stacks().stream().map(OptimizationStack::id).toList();
        assertEquals(ids.size(), new HashSet<>(ids).size());
        // precision: none|fp8|int8 x kv: none|paged|paged+prefix (prefix alone cannot stack) = 9
        assertEquals(9, ids.size(), ids.toString());
        assertEquals("fp8+paged-kv", ids.get(0));
    }

    @Test
    void unknownIdsNameTheKeyAndLine() throws Exception {
        List<Problem> ps = problems("tokencost.sweep {\n  models = [llama-3.1-8b, llama-9]\n  hardware = [h100-sxm, h900]\n}\n");
        assertEquals(2, ps.size(), ps.toString());
        assertEquals(2, ps.get(0).line());
        assertEquals("tokencost.sweep.models", ps.get(0).field());
        assertTrue(ps.get(0).reason().contains("unknown model 'llama-9'"));
        assertEquals(3, ps.get(1).line());
        assertTrue(ps.get(1).reason().contains("unknown hardware 'h900'"));
    }

    @Test
    void emptyAxesAreRefused() throws Exception {
        List<Problem> ps = problems("tokencost.sweep.workloads = []\ntokencost.sweep.stacks = []\ntokencost.sweep.stack-levers = []\n");
        assertTrue(ps.stream().anyMatch(p -> p.field().equals("tokencost.sweep.workloads") && p.reason().startsWith("empty axis")), ps.toString());
        assertTrue(ps.stream().anyMatch(p -> p.reason().contains("no optimization stacks")), ps.toString());
        List<Problem> devices = assertThrows(InvalidInputException.class, () -> conf("tokencost.sweep.devices = []")).problems();
        assertTrue(devices.get(0).reason().contains("empty list"), devices.toString());
    }

    @Test
    void badStackIsReportedWithItsText() throws Exception {
        List<Problem> ps = problems("tokencost.sweep.stacks = [\"fp8,int4\"]\n");
        assertTrue(ps.get(0).reason().contains("stack \"fp8,int4\"") && ps.get(0).reason().contains("cannot stack"), ps.toString());
    }

    @Test
    void gridAboveTheLimitIsRefusedWithItsSize() throws Exception {
        List<Problem> ps = problems("tokencost.sweep.max-cells = 1000\n");
        assertEquals(1, ps.size());
        assertEquals(1, ps.get(0).line());
        assertTrue(ps.get(0).reason().matches("the grid has [0-9,]+ cells .* above the limit of 1,000.*"), ps.get(0).reason());
    }
}
