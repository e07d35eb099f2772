package tokencost.catalog;

import org.apache.avro.generic.GenericRecord;

/** One accelerator. Peaks are dense, per device; an absent precision is null (not supported natively). */
public record Hardware(
        String id, String displayName, String vendor, String family, String deviceClass, int releaseYear,
        double peakTflopsBf16, Double peakTflopsFp8, Double peakTflopsInt8, Double peakTflopsInt4, Double peakTflopsFp4,
        double memoryGib, double memoryBwGbS, double interconnectGbS, int devicesPerNode, double powerW,
        Double priceUsdPerHour, Double purchaseUsd,
        double computeEfficiency, Double computeEfficiencyLowPrecision, double memoryEfficiency,
        String efficiencySource, String source) implements java.io.Serializable {

    /** Bytes in a GiB: memory capacities are binary, bandwidths decimal. */
    public static final double BYTES_PER_GIB = 1024.0 * 1024 * 1024;

    static Hardware from(GenericRecord r) {
        return new Hardware(
                Fields.str(r, "hardware_id"), Fields.str(r, "display_name"), Fields.str(r, "vendor"), Fields.str(r, "family"),
                Fields.str(r, "device_class"), Fields.i(r, "release_year"),
                Fields.d(r, "peak_tflops_bf16"), Fields.optD(r, "peak_tflops_fp8"), Fields.optD(r, "peak_tflops_int8"),
                Fields.optD(r, "peak_tflops_int4"), Fields.optD(r, "peak_tflops_fp4"),
                Fields.d(r, "memory_gib"), Fields.d(r, "memory_bw_gb_s"), Fields.d(r, "interconnect_gb_s"),
                Fields.i(r, "devices_per_node"), Fields.d(r, "power_w"),
                Fields.optD(r, "price_usd_per_hour"), Fields.optD(r, "purchase_usd"),
                Fields.d(r, "compute_efficiency"), Fields.optD(r, "compute_efficiency_low_precision"),
                Fields.d(r, "memory_efficiency"), Fields.str(r, "efficiency_source"), Fields.str(r, "source"));
    }

    /** Dense peak in FLOP/s for a compute precision, or null when the device has no native support for it. */
    public Double peakFlops(ComputePrecision p) {
        return supports(p) ? peakFlopsOf(p) : null;
    }

    /** Whether the tensor units compute natively in {@code p} (BF16 always). */
    public boolean supports(ComputePrecision p) {
        return p == ComputePrecision.BF16 || tflops(p) != null;
    }

    /**
     * Dense peak in FLOP/s for a precision the device {@link #supports}; unboxed, because the engine asks several
     * times per cell (boxing it was the engine's largest cost in a JMH profile).
     */
    public double peakFlopsOf(ComputePrecision p) {
        if (p == ComputePrecision.BF16) return peakTflopsBf16 * 1e12;
        Double t = tflops(p);
        if (t == null) throw new IllegalArgumentException(id + " has no " + p.label() + " peak");
        return t * 1e12;
    }

    private Double tflops(ComputePrecision p) {
        if (p == ComputePrecision.FP8) return peakTflopsFp8;
        if (p == ComputePrecision.INT8) return peakTflopsInt8;
        if (p == ComputePrecision.INT4) return peakTflopsInt4;
        if (p == ComputePrecision.FP4) return peakTflopsFp4;
        return null;
    }

    /** Achievable fraction of the peak for a compute precision. */
    public double computeEfficiency(ComputePrecision p) {
        if (p == ComputePrecision.BF16 || computeEfficiencyLowPrecision == null) return computeEfficiency;
        return computeEfficiencyLowPrecision;
    }

    public double memoryBytes() {
        return memoryGib * BYTES_PER_GIB;
    }

    public double memoryBandwidthBytesPerS() {
        return memoryBwGbS * 1e9;
    }

    public double interconnectBytesPerS() {
        return interconnectGbS * 1e9;
    }
}
