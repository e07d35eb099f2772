package tokencost.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tokencost.TestCatalogs;
import tokencost.catalog.Catalog;

class StackParserTest {
    private final Catalog catalog = TestCatalogs.real();

    private String error(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> StackParser.parse(spec, catalog)).getMessage();
    }

    @Test
    void emptyIsTheBf16Baseline() {
        OptimizationStack s = StackParser.parse("", catalog);
        assertEquals("bf16", s.id());
        assertEquals(16, s.weightBits());
        assertEquals(16, s.kvBits());
        assertFalse(s.continuousBatching() || s.flashAttention() || s.pagedKv() || s.prefixCache() || s.speculative());
    }

    @Test
    void canonicalIdIsOrderIndependent() {
        OptimizationStack a = StackParser.parse("paged-kv,fp8,continuous-batching,fp8-kv", catalog);
        OptimizationStack b = StackParser.parse("fp8-kv,continuous-batching,fp8,paged-kv", catalog);
        assertEquals("fp8+fp8-kv+continuous-batching+paged-kv", a.id());
        assertEquals(a, b);
    }

    @Test
    void fp16IsAnAliasOfBf16() {
        assertEquals("bf16+flash-attention", StackParser.parse("fp16,flash-attention", catalog).id());
    }

    @Test
    void speculativeOverrides() {
        OptimizationStack s = StackParser.parse("fp8,speculative-decoding:k=4,alpha=0.7", catalog);
        assertEquals(4, s.draftTokens());
        assertEquals(0.7, s.acceptanceRate());
        assertEquals("fp8+speculative-decoding:k=4,alpha=0.7", s.id());
        assertEquals(OptimizationStack.expectedAcceptedTokens(0.7, 4), s.expectedTokensPerStep(), 1e-12);
        assertTrue(error("speculative-decoding:alpha=1.5").contains("alpha must be in [0, 1)"));
        assertTrue(error("speculative-decoding:k=zero").contains("k must be a whole number"));
        assertTrue(error("fp8:bits=4").contains("'fp8' takes no parameter 'bits'"));
    }

    @Test
    void precisionsDoNotStack() {
        assertTrue(error("fp8,int4").contains("'fp8' and 'int4' cannot stack"));
        assertTrue(error("fp8-kv,int8-kv").contains("cannot stack"));
    }

    @Test
    void prefixCacheNeedsPagedKv() {
        assertTrue(error("prefix-cache").contains("'prefix-cache' needs 'paged-kv'"));
        assertTrue(StackParser.parse("prefix-cache,paged-kv", catalog).prefixCache());
    }

    @Test
    void unknownAndRepeatedLeversAreRefusedTogether() {
        String msg = error("fp9,paged-kv,paged-kv");
        assertTrue(msg.contains("unknown optimization 'fp9'"), msg);
        assertTrue(msg.contains("'paged-kv' is given twice"), msg);
        assertTrue(error("serving-runtime").contains("unknown optimization"), "a runtime is not a lever");
    }

    @Test
    void int4IsWeightOnlyWithGroupScales() {
        OptimizationStack s = StackParser.parse("int4", catalog);
        assertEquals("BF16", s.computePrecision().name());
        assertEquals(4.25, s.effectiveWeightBits(), 1e-12);
    }
}
