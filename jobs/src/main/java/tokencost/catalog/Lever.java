package tokencost.catalog;

import java.util.List;
import java.util.Map;

/**
 * A software optimization lever and its default parameters, as in datasets/optimizations.csv.
 *
 * @param computePrecision the format a weight-precision lever's matmuls run in (W8A8 FP8 in FP8, AWQ W4A16 in BF16);
 *                         null for other categories
 * @param baseline         the weight precision a stack has when it names none (the checkpoint as published)
 * @param aliases          other names the command line accepts for it (fp16 for bf16)
 */
public record Lever(String id, LeverCategory category, ComputePrecision computePrecision, boolean baseline,
                    List<String> aliases, Map<String, Double> parameters) implements java.io.Serializable {

    /** Parameter whose value above 0 makes a prefix lever need the catalog's KV-memory (paged) lever in its stack. */
    public static final String REQUIRES_PAGED_KV = "requires_paged_kv";

    public double param(String name) {
        Double v = parameters.get(name);
        if (v == null) {
            throw new IllegalStateException("lever '" + id + "' has no parameter '" + name
                    + "' in datasets/optimizations.csv (has " + parameters.keySet() + ")");
        }
        return v;
    }

    /** The category whose lever must be in the same stack, or null: prefix caches share paged KV blocks. */
    public LeverCategory requiredCategory() {
        return category == LeverCategory.PREFIX && parameters.getOrDefault(REQUIRES_PAGED_KV, 0.0) > 0
                ? LeverCategory.KV_MEMORY : null;
    }
}
