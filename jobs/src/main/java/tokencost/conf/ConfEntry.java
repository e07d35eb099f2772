package tokencost.conf;

import java.util.List;

/**
 * One tunable: its key, type, default and documentation, declared once (as Delta's DeltaSQLConf does).
 *
 * @param allowed for STRING entries, the allowed values (empty = any)
 * @param min     for numbers, the smallest allowed value
 * @param max     for numbers, the largest allowed value
 * @param minExclusive whether {@code min} itself is excluded
 */
public record ConfEntry(String key, Type type, Object defaultValue, String doc, List<String> allowed,
                        double min, double max, boolean minExclusive) {

    public enum Type { INT, LONG, DOUBLE, STRING, BOOLEAN, STRING_LIST, INT_LIST }

    static ConfEntry positiveDouble(String key, double def, String doc) {
        return new ConfEntry(key, Type.DOUBLE, def, doc, List.of(), 0, Double.MAX_VALUE, true);
    }

    static ConfEntry fraction(String key, double def, String doc) {
        return new ConfEntry(key, Type.DOUBLE, def, doc, List.of(), 0, 1, true);
    }

    static ConfEntry nonNegativeDouble(String key, double def, String doc) {
        return new ConfEntry(key, Type.DOUBLE, def, doc, List.of(), 0, Double.MAX_VALUE, false);
    }

    static ConfEntry positiveInt(String key, int def, String doc) {
        return new ConfEntry(key, Type.INT, def, doc, List.of(), 1, Integer.MAX_VALUE, false);
    }

    static ConfEntry positiveLong(String key, long def, String doc) {
        return new ConfEntry(key, Type.LONG, def, doc, List.of(), 1, Long.MAX_VALUE, false);
    }

    static ConfEntry nonNegativeInt(String key, int def, String doc) {
        return new ConfEntry(key, Type.INT, def, doc, List.of(), 0, Integer.MAX_VALUE, false);
    }

    static ConfEntry stringList(String key, List<String> def, String doc) {
        return new ConfEntry(key, Type.STRING_LIST, def, doc, List.of(), 0, 0, false);
    }

    /** A non-empty list of positive whole numbers. */
    static ConfEntry intList(String key, List<Integer> def, String doc) {
        return new ConfEntry(key, Type.INT_LIST, def, doc, List.of(), 1, Integer.MAX_VALUE, false);
    }

    static ConfEntry string(String key, String def, String doc) {
        return new ConfEntry(key, Type.STRING, def, doc, List.of(), 0, 0, false);
    }

    static ConfEntry choice(String key, String def, String doc, String... allowed) {
        return new ConfEntry(key, Type.STRING, def, doc, List.of(allowed), 0, 0, false);
    }
}
