package tokencost.catalog;

import org.apache.avro.generic.GenericRecord;

/** A request shape and its latency SLOs (null = no SLO on that dimension). */
public record Workload(String id, String displayName, int inputTokens, int outputTokens,
                       Double ttftSloMs, Double tpotSloMs, double prefixCacheShare) implements java.io.Serializable {

    static Workload from(GenericRecord r) {
        return new Workload(Fields.str(r, "workload_id"), Fields.str(r, "display_name"),
                Fields.i(r, "input_tokens"), Fields.i(r, "output_tokens"),
                Fields.optD(r, "ttft_slo_ms"), Fields.optD(r, "tpot_slo_ms"), Fields.d(r, "prefix_cache_share"));
    }

    /** An ad-hoc throughput workload: given lengths, no SLO, no prefix sharing. */
    public static Workload custom(int inputTokens, int outputTokens) {
        return new Workload("custom:" + inputTokens + "/" + outputTokens, "custom", inputTokens, outputTokens, null, null, 0.0);
    }

    public boolean hasSlo() {
        return ttftSloMs != null || tpotSloMs != null;
    }
}
