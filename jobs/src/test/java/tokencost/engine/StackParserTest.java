package tokencost.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.TestCatalogs;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.catalog.ComputePrecision;
import tokencost.catalog.Hardware;
import tokencost.catalog.Model;
import tokencost.catalog.Workload;

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

    @Test
    void aLeverDefinedOnlyInDataIsHonoured(@TempDir Path dir) {
        Path d = TestCatalogs.copyDatasets(dir.resolve("datasets"));
        Path csv = d.resolve("optimizations.csv");
        // an MX-style FP8 (blocks of 32 with an 8-bit scale, computed in FP8), a weight-only int8, a copy of int8 and a
        // 4-bit KV cache: rows only, no code
        TestCatalogs.write(csv, TestCatalogs.read(csv)
                + "mxfp8,weight_precision,fp8,,mxf8,weight_bits,8,bits,test,\n"
                + "mxfp8,weight_precision,fp8,,mxf8,group_size,32,count,test,\n"
                + "mxfp8,weight_precision,fp8,,mxf8,scale_bits_per_group,8,bits,test,\n"
                + "int8-wo,weight_precision,bf16,,,weight_bits,8,bits,test,\n"
                + "int8-copy,weight_precision,int8,,,weight_bits,8,bits,test,\n"
                + "fp4-kv,kv_precision,,,,kv_bits,4,bits,test,\n");
        Catalog c = Catalog.load(CatalogSource.directory(d));

        OptimizationStack mx = StackParser.parse("mxf8,fp4-kv,paged-kv", c);
        assertEquals("mxfp8+fp4-kv+paged-kv", mx.id(), "the alias from the data names the lever");
        assertEquals(ComputePrecision.FP8, mx.computePrecision());
        assertEquals(8.25, mx.effectiveWeightBits(), 1e-12);
        assertEquals(4, mx.kvBits());
        assertEquals(ComputePrecision.BF16, StackParser.parse("int8-wo", c).computePrecision());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StackParser.parse("mxfp8,fp8", c)).getMessage()
                .contains("'mxfp8' and 'fp8' cannot stack"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StackParser.parse("fp4-kv,fp8-kv", c)).getMessage()
                .contains("cannot stack"));

        // the engine sees only the numbers: a copy of int8's row under another id estimates exactly as int8 does
        Model m = catalog.model("llama-3.1-8b");
        Hardware hw = catalog.hardware("h100-sxm");
        Workload w = catalog.workload("chat");
        EngineSettings cfg = TestCatalogs.settings();
        Estimate int8 = InferenceEngine.estimate(m, hw, 1, w, StackParser.parse("int8,paged-kv", c), 8, cfg);
        Estimate copy = InferenceEngine.estimate(m, hw, 1, w, StackParser.parse("int8-copy,paged-kv", c), 8, cfg);
        assertEquals("int8+paged-kv", int8.optimizationStack());
        assertEquals("int8-copy+paged-kv", copy.optimizationStack());
        java.util.Map<String, Object> a = new java.util.LinkedHashMap<>(int8.toMap());
        java.util.Map<String, Object> b = new java.util.LinkedHashMap<>(copy.toMap());
        a.remove("optimization_stack");
        b.remove("optimization_stack");
        assertEquals(a, b);
        Estimate weightOnly = InferenceEngine.estimate(m, hw, 1, w, StackParser.parse("int8-wo,paged-kv", c), 8, cfg);
        assertEquals("bf16", weightOnly.computePrecision(), "weight-only: computes in 16 bits");
        assertEquals(int8.weightsGb(), weightOnly.weightsGb(), "and stores 8-bit weights");
    }
}
