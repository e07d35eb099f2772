package tokencost.catalog;

/** Number formats the tensor units compute in. */
public enum ComputePrecision {
    BF16, FP8, INT8, INT4, FP4;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The name as tables and JSON write it ("fp8"); made once, not per cell. */
    public String label() {
        return label;
    }
}
