package tokencost.catalog;

import java.util.Map;

/**
 * A serving runtime's kernel efficiencies: one row per vendor it was measured on, and the any-vendor row
 * ({@code *}) for the rest. A runtime without an any-vendor row falls back to the {@code default} runtime's.
 */
public record ServingRuntime(String id, Map<String, KernelEfficiency> byVendor, KernelEfficiency anyVendor)
        implements java.io.Serializable {

    public static final String DEFAULT = "default";
    public static final String ANY_VENDOR = "*";

    public ServingRuntime {
        // hashed, not sorted: the engine looks a vendor up once per cell, and a String's hash is cached
        byVendor = Map.copyOf(byVendor);
    }

    public KernelEfficiency forVendor(String vendor) {
        KernelEfficiency k = byVendor.get(vendor);
        return k != null ? k : anyVendor;
    }
}
