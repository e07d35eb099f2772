package tokencost.catalog;

import java.util.List;
import java.util.Locale;

/**
 * What part of the physics a lever changes (the {@code category} column of datasets/optimizations.csv). The engine
 * knows categories and the parameters each one reads; which levers exist, and their numbers, are data.
 */
public enum LeverCategory {
    /** No physics: a serving runtime is chosen by id, not as a lever. */
    RUNTIME(Count.ANY, List.of()),
    /** Bits per stored weight and the format matmuls compute in; levers are alternatives, one is the baseline. */
    WEIGHT_PRECISION(Count.ALTERNATIVES, List.of("weight_bits")),
    /** Bits per KV-cache element; levers are alternatives, none = the baseline's bits. */
    KV_PRECISION(Count.ALTERNATIVES, List.of("kv_bits")),
    BATCHING(Count.ONE, List.of("static_batch_slot_utilization")),
    ATTENTION(Count.ONE, List.of("standard_attention_hbm_passes")),
    KV_MEMORY(Count.ONE, List.of("paged_kv_utilization", "contiguous_kv_utilization")),
    PREFIX(Count.ONE, List.of()),
    SPECULATIVE(Count.ONE, List.of("draft_tokens", "acceptance_rate", "draft_layers"));

    /**
     * How many levers of the category a catalog has. ONE: the lever also carries the physics of its absence (static
     * batching's slot use, unfused attention's passes, contiguous KV's waste), so the engine needs exactly one.
     */
    public enum Count { ANY, ALTERNATIVES, ONE }

    private final Count count;
    private final List<String> requiredParameters;

    LeverCategory(Count count, List<String> requiredParameters) {
        this.count = count;
        this.requiredParameters = requiredParameters;
    }

    public Count count() {
        return count;
    }

    /** Parameters the engine reads from every lever of the category. */
    public List<String> requiredParameters() {
        return requiredParameters;
    }

    /** The name in the CSV and messages: weight_precision. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LeverCategory of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
