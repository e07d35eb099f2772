package tokencost.catalog;

import org.apache.avro.generic.GenericRecord;

/** Typed reads from validated Avro records. */
final class Fields {
    private Fields() {}

    static String str(GenericRecord r, String f) {
        Object v = r.get(f);
        return v == null ? null : v.toString();
    }

    static int i(GenericRecord r, String f) {
        return ((Number) r.get(f)).intValue();
    }

    static double d(GenericRecord r, String f) {
        return ((Number) r.get(f)).doubleValue();
    }

    static Double optD(GenericRecord r, String f) {
        Object v = r.get(f);
        return v == null ? null : ((Number) v).doubleValue();
    }

    static boolean b(GenericRecord r, String f) {
        return (Boolean) r.get(f);
    }
}
