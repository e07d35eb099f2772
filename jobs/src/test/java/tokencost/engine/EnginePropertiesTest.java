package tokencost.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tokencost.RecordCopy;
import tokencost.TestCatalogs;
import tokencost.catalog.Catalog;
import tokencost.catalog.Hardware;
import tokencost.catalog.Model;
import tokencost.catalog.Workload;

/**
 * Properties that must hold for every input, checked over random draws from the real catalogs
 * (a seeded generator: a failure names its case and reproduces).
 */
class EnginePropertiesTest {
    private static final int CASES = 3000;
    private final Catalog catalog = TestCatalogs.real();
    private final EngineSettings cfg = TestCatalogs.settings();

    private static final List<String> STACKS = List.of(
            "bf16", "fp8", "int8", "int4", "bf16,paged-kv", "fp8,fp8-kv,continuous-batching,flash-attention,paged-kv",
            "int4,int8-kv,continuous-batching,paged-kv,prefix-cache", "bf16,continuous-batching,flash-attention,paged-kv,speculative-decoding",
            "int8,flash-attention", "fp8,continuous-batching,speculative-decoding:k=3,alpha=0.6");

    record Case(Model m, Hardware h, int devices, Workload w, OptimizationStack s, int batch) {
        @Override
        public String toString() {
            return m.id() + " on " + devices + "x" + h.id() + ", " + w.id() + ", " + s.id() + ", batch " + batch;
        }
    }

    private List<Case> cases(long seed) {
        Random r = new Random(seed);
        List<Model> models = new ArrayList<>(catalog.models().values());
        List<Hardware> hardware = new ArrayList<>(catalog.hardware().values());
        List<Workload> workloads = new ArrayList<>(catalog.workloads().values());
        workloads.add(Workload.custom(1 + r.nextInt(8000), 1 + r.nextInt(4000)));
        List<Case> out = new ArrayList<>();
        while (out.size() < CASES) {
            Hardware h = hardware.get(r.nextInt(hardware.size()));
            int maxPow = 31 - Integer.numberOfLeadingZeros(h.devicesPerNode());
            int devices = 1 << r.nextInt(maxPow + 1);
            if (r.nextInt(5) == 0) devices = h.devicesPerNode() * (1 << (1 + r.nextInt(3)));
            out.add(new Case(models.get(r.nextInt(models.size())), h, devices, workloads.get(r.nextInt(workloads.size())),
                    StackParser.parse(STACKS.get(r.nextInt(STACKS.size())), catalog), 1 + r.nextInt(r.nextBoolean() ? 16 : 1024)));
        }
        return out;
    }

    private Estimate run(Case c) {
        return InferenceEngine.estimate(c.m(), c.h(), c.devices(), c.w(), c.s(), c.batch(), cfg);
    }

    @Test
    void everyOutputIsFiniteAndNoInputThrows() {
        int fitting = 0;
        for (Case c : cases(1)) {
            Estimate e = run(c);
            for (Map.Entry<String, Object> kv : e.toMap().entrySet()) {
                if (kv.getValue() instanceof Double d) assertTrue(Double.isFinite(d), c + ": " + kv.getKey() + " = " + d);
            }
            if (e.fits()) {
                fitting++;
                assertTrue(e.ttftMs() > 0 && e.tpotMs() > 0 && e.outputTokS() > 0, c::toString);
                assertTrue(e.costUsdPerMtokIn() > 0 && e.costUsdPerMtokOut() > 0 && e.energyJPerTok() > 0, c::toString);
                assertTrue(e.mfu() > 0 && e.mfu() <= 1.0, c + ": mfu " + e.mfu());
                assertTrue(e.bandwidthUtilization() > 0 && e.bandwidthUtilization() <= 1.0, c + ": bw " + e.bandwidthUtilization());
                assertTrue(e.memoryUsedGbPerDevice() <= e.memoryUsableGbPerDevice() * 1.0000001, c::toString);
            } else {
                assertTrue(e.reason().startsWith("does not fit"), c::toString);
            }
        }
        assertTrue(fitting > CASES / 5, "enough fitting cases to mean something: " + fitting);
    }

    @Test
    void moreBandwidthNeverRaisesTimePerToken() {
        int checked = 0;
        for (Case c : cases(2)) {
            Estimate base = run(c);
            if (!base.fits()) continue;
            Hardware faster = RecordCopy.with(c.h(), "memoryBwGbS", c.h().memoryBwGbS() * 1.5);
            Estimate fast = InferenceEngine.estimate(c.m(), faster, c.devices(), c.w(), c.s(), c.batch(), cfg);
            assertTrue(fast.tpotMs() <= base.tpotMs() * (1 + 1e-12), c + ": " + fast.tpotMs() + " > " + base.tpotMs());
            assertTrue(fast.ttftMs() <= base.ttftMs() * (1 + 1e-12), c::toString);
            checked++;
        }
        assertTrue(checked > CASES / 10, "enough cases reached the check: " + checked);
    }

    @Test
    void fewerBitsNeverRaiseMemory() {
        for (Model m : catalog.models().values()) {
            double prev = Double.MAX_VALUE;
            for (String w : List.of("bf16", "fp8", "int8", "int4")) {
                double bytes = ModelMath.weightBytes(m, StackParser.parse(w, catalog));
                assertTrue(bytes <= prev, m.id() + " " + w);
                prev = bytes;
            }
            assertTrue(ModelMath.kvBytesPerToken(m, 8) < ModelMath.kvBytesPerToken(m, 16), m.id());
        }
        for (Case c : cases(3)) {
            if (!c.s().id().startsWith("bf16")) continue;
            InferenceEngine.Memory wide = InferenceEngine.memory(c.m(), c.h(), c.devices(), c.w(), c.s(), cfg);
            OptimizationStack narrow = StackParser.parse(c.s().id().replace("bf16", "int4").replace('+', ','), catalog);
            InferenceEngine.Memory small = InferenceEngine.memory(c.m(), c.h(), c.devices(), c.w(), narrow, cfg);
            assertTrue(small.weightBytesPerDevice() < wide.weightBytesPerDevice(), c::toString);
            assertTrue(small.maxBatch() >= wide.maxBatch(), c::toString);
        }
    }

    @Test
    void moreDevicesNeverMoreMemoryPerDevice() {
        int checked = 0;
        for (Case c : cases(4)) {
            if (c.devices() * 2 > c.h().devicesPerNode() && c.devices() < c.h().devicesPerNode()) continue;
            InferenceEngine.Memory one = InferenceEngine.memory(c.m(), c.h(), c.devices(), c.w(), c.s(), cfg);
            InferenceEngine.Memory two = InferenceEngine.memory(c.m(), c.h(), c.devices() * 2, c.w(), c.s(), cfg);
            assertTrue(two.weightBytesPerDevice() < one.weightBytesPerDevice(), c::toString);
            assertTrue(two.kvReservedBytesPerRequestPerDevice() <= one.kvReservedBytesPerRequestPerDevice(), c::toString);
            checked++;
        }
        assertTrue(checked > CASES / 10, "enough cases reached the check: " + checked);
    }

    @Test
    void largerBatchNeverLowersThroughputWhileItFits() {
        int checked = 0;
        for (Case c : cases(5)) {
            Estimate small = run(c);
            Case bigger = new Case(c.m(), c.h(), c.devices(), c.w(), c.s(), c.batch() + 1 + c.batch() / 3);
            Estimate big = run(bigger);
            if (!small.fits() || !big.fits()) continue;
            assertTrue(big.outputTokS() >= small.outputTokS() * (1 - 1e-9), bigger + ": " + big.outputTokS() + " < " + small.outputTokS());
            checked++;
        }
        assertTrue(checked > CASES / 10, "enough cases reached the check: " + checked);
    }

    @Test
    void costScalesLinearlyWithPrice() {
        int checked = 0;
        for (Case c : cases(6)) {
            if (c.h().priceUsdPerHour() == null) continue;
            Estimate base = run(c);
            if (!base.fits()) continue;
            Hardware pricier = RecordCopy.with(c.h(), "priceUsdPerHour", c.h().priceUsdPerHour() * 3);
            Estimate e = InferenceEngine.estimate(c.m(), pricier, c.devices(), c.w(), c.s(), c.batch(), cfg);
            assertEquals(3 * base.costUsdPerMtokOut(), e.costUsdPerMtokOut(), 1e-9 * e.costUsdPerMtokOut(), c::toString);
            assertEquals(3 * base.costUsdPerMtokIn(), e.costUsdPerMtokIn(), 1e-9 * e.costUsdPerMtokIn(), c::toString);
            assertEquals(base.tpotMs(), e.tpotMs(), 0.0);
            checked++;
        }
        assertTrue(checked > CASES / 10, "enough cases reached the check: " + checked);
    }
}
