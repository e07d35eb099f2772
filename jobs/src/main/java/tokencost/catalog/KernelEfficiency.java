package tokencost.catalog;

import org.apache.avro.generic.GenericRecord;

/**
 * What a serving runtime's kernels reach on one vendor's accelerators, relative to the hardware catalog's
 * measured matmul and memory fractions (datasets/runtimes.csv). The GEMM rate rises with the GEMM's M
 * (tokens in the pass): {@code gemmEfficiency * M / (M + gemmHalfTokens)}. A share may exceed 1 (kernels that beat the
 * microbenchmark); the engine caps the measured fraction times the share at the device's peak.
 */
public record KernelEfficiency(String runtimeId, String vendor, double gemmEfficiency, double gemmHalfTokens,
                               double weightOnlyGemmEfficiency, double attentionEfficiency, double bandwidthEfficiency,
                               double allreduceEfficiency, double stepOverheadUs, double sequenceOverheadUs)
        implements java.io.Serializable {

    /** The parameters in a fixed order (what a fit varies), and back. */
    public double[] toArray() {
        return new double[] {gemmEfficiency, gemmHalfTokens, weightOnlyGemmEfficiency, attentionEfficiency,
                bandwidthEfficiency, allreduceEfficiency, stepOverheadUs, sequenceOverheadUs};
    }

    /** The CSV column of each parameter, in {@link #toArray()} order. */
    public static final String[] PARAMETERS = {"gemm_efficiency", "gemm_half_tokens", "weight_only_gemm_efficiency",
            "attention_efficiency", "bandwidth_efficiency", "allreduce_efficiency", "step_overhead_us", "sequence_overhead_us"};

    public KernelEfficiency with(double[] p) {
        return new KernelEfficiency(runtimeId, vendor, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
    }

    public KernelEfficiency as(String runtime, String vendorId) {
        return new KernelEfficiency(runtime, vendorId, gemmEfficiency, gemmHalfTokens, weightOnlyGemmEfficiency,
                attentionEfficiency, bandwidthEfficiency, allreduceEfficiency, stepOverheadUs, sequenceOverheadUs);
    }

    /** Share of its own large-M rate a GEMM over {@code tokens} rows reaches: M / (M + M½). */
    public double gemmSizeShare(double tokens) {
        return tokens / (tokens + gemmHalfTokens);
    }

    static KernelEfficiency from(GenericRecord r) {
        return new KernelEfficiency(Fields.str(r, "runtime_id"), Fields.str(r, "vendor"), Fields.d(r, "gemm_efficiency"),
                Fields.d(r, "gemm_half_tokens"), Fields.d(r, "weight_only_gemm_efficiency"), Fields.d(r, "attention_efficiency"),
                Fields.d(r, "bandwidth_efficiency"), Fields.d(r, "allreduce_efficiency"), Fields.d(r, "step_overhead_us"),
                Fields.d(r, "sequence_overhead_us"));
    }
}
