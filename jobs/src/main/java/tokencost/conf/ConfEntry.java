package tokencost.conf;

import java.util.List;

/**
 * One tunable: its key, type, default and documentation, declared once (as Delta's DeltaSQLConf does).
 *
 * @param allowed for STRING entries, the allowed values (empty = any)
 * @param min     for numbers, the smallest allowed value
 * @param max     for numbers, the largest allowed value
 * @param minExclusive whether {@code min} itself is excluded
 * @param changesOutput whether the value changes what a run writes (and so its run id); false for where and how
 *                      a run executes (warehouse, Spark, partitions, lock, progress)
 */
public record ConfEntry(String key, Type type, Object defaultValue, String doc, List<String> allowed,
                        double min, double max, boolean minExclusive, boolean changesOutput) {

    /** The same entry, declared as one that does not change a run's output. */
    ConfEntry operational() {
        return new ConfEntry(key, type, defaultValue, doc, allowed, min, max, minExclusive, false);
    }

    public enum Type { INT, LONG, DOUBLE, STRING, BOOLEAN, STRING_LIST, INT_LIST }

    static ConfEntry positiveDouble(String key, double def, String doc) {
        return new ConfEntry(key, Type.DOUBLE, def, doc, List.of(), 0, Double.MAX_VALUE, true, true);
    }

    static ConfEntry fraction(String key, double def, String doc) {
        return new ConfEntry(key, Type.DOUBLE, def, doc, List.of(), 0, 1, true, true);
    }

    static ConfEntry nonNegativeDouble(String key, double def, String doc) {
        return new ConfEntry(key, Type.DOUBLE, def, doc, List.of(), 0, Double.MAX_VALUE, false, true);
    }

    static ConfEntry positiveInt(String key, int def, String doc) {
        return new ConfEntry(key, Type.INT, def, doc, List.of(), 1, Integer.MAX_VALUE, false, true);
    }

    static ConfEntry positiveLong(String key, long def, String doc) {
        return new ConfEntry(key, Type.LONG, def, doc, List.of(), 1, Long.MAX_VALUE, false, true);
    }

    static ConfEntry nonNegativeInt(String key, int def, String doc) {
        return new ConfEntry(key, Type.INT, def, doc, List.of(), 0, Integer.MAX_VALUE, false, true);
    }

    static ConfEntry stringList(String key, List<String> def, String doc) {
        return new ConfEntry(key, Type.STRING_LIST, def, doc, List.of(), 0, 0, false, true);
    }

    /** A non-empty list of positive whole numbers. */
    static ConfEntry intList(String key, List<Integer> def, String doc) {
        return new ConfEntry(key, Type.INT_LIST, def, doc, List.of(), 1, Integer.MAX_VALUE, false, true);
    }

    static ConfEntry string(String key, String def, String doc) {
        return new ConfEntry(key, Type.STRING, def, doc, List.of(), 0, 0, false, true);
    }

    static ConfEntry choice(String key, String def, String doc, String... allowed) {
        return new ConfEntry(key, Type.STRING, def, doc, List.of(allowed), 0, 0, false, true);
    }
}
