package tokencost.catalog;

/** Number formats the tensor units compute in. */
public enum ComputePrecision { BF16, FP8, INT8, INT4, FP4 }
