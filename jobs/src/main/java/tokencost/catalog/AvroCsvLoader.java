package tokencost.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads a CSV file against its Avro schema, the contract for its records. The schema says which
 * columns exist, their types, which are optional (a union with null), through the field
 * property {@code constraint} which must be positive, non-negative, a fraction or non-empty, and through
 * the field property {@code range} ({@code [min, max]}, inclusive) the physically plausible values of a
 * number or of every value a {@code quantity} distribution can take;
 * the record property {@code primary_key} names the key columns. Every problem is collected.
 */
public final class AvroCsvLoader {

    /** A record that passed validation, with the line it came from. */
    public record Loaded(int line, GenericRecord record) {}

    private AvroCsvLoader() {}

    public static List<Loaded> load(String file, byte[] bytes, Schema schema, List<Problem> problems) {
        int before = problems.size();
        List<CsvReader.Row> rows = CsvReader.parse(file, bytes, problems);
        if (rows.isEmpty() && problems.size() > before) return List.of(); // unreadable: already reported
        if (rows.isEmpty()) {
            problems.add(new Problem(file, 1, null, "file is empty: expected a header line with the columns of " + schema.getName()));
            return List.of();
        }
        if (!checkRanges(file, schema, problems)) return List.of();
        CsvReader.Row header = rows.get(0);
        Map<String, Integer> columnIndex = new HashMap<>();
        boolean headerOk = true;
        for (int i = 0; i < header.fields().size(); i++) {
            String name = header.fields().get(i).trim();
            if (schema.getField(name) == null) {
                problems.add(new Problem(file, header.line(), name, "unknown column (the schema " + schema.getName()
                        + " has: " + fieldNames(schema) + ")"));
                headerOk = false;
            } else if (columnIndex.putIfAbsent(name, i) != null) {
                problems.add(new Problem(file, header.line(), name, "column appears twice in the header"));
                headerOk = false;
            }
        }
        for (Schema.Field f : schema.getFields()) {
            if (!columnIndex.containsKey(f.name()) && !isOptional(f)) {
                problems.add(new Problem(file, header.line(), f.name(), "required column is missing from the header"));
                headerOk = false;
            }
        }
        if (!headerOk) return List.of();
        if (rows.size() == 1) {
            problems.add(new Problem(file, header.line(), null, "no data rows after the header"));
            return List.of();
        }

        List<String> keyFields = primaryKey(schema);
        Map<String, Integer> firstLineOfKey = new HashMap<>();
        List<Loaded> out = new ArrayList<>();
        for (CsvReader.Row row : rows.subList(1, rows.size())) {
            if (row.fields().size() != header.fields().size()) {
                problems.add(new Problem(file, row.line(), null, "has " + row.fields().size() + " fields but the header has "
                        + header.fields().size() + " (an unquoted comma, or a missing field?)"));
                continue;
            }
            GenericRecord record = new GenericData.Record(schema);
            boolean rowOk = true;
            for (Schema.Field f : schema.getFields()) {
                Integer idx = columnIndex.get(f.name());
                String raw = idx == null ? "" : row.fields().get(idx).trim();
                try {
                    record.put(f.name(), parseValue(f, raw));
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem(file, row.line(), f.name(), e.getMessage()));
                    rowOk = false;
                }
            }
            if (!rowOk) continue;
            if (!keyFields.isEmpty()) {
                StringBuilder key = new StringBuilder();
                for (String k : keyFields) key.append(record.get(k)).append('\u0000');
                Integer first = firstLineOfKey.putIfAbsent(key.toString(), row.line());
                if (first != null) {
                    problems.add(new Problem(file, row.line(), String.join(",", keyFields), "duplicate key "
                            + describeKey(record, keyFields) + " (first defined on line " + first + ")"));
                    continue;
                }
            }
            out.add(new Loaded(row.line(), record));
        }
        return out;
    }

    static boolean isOptional(Schema.Field f) {
        return f.schema().getType() == Schema.Type.UNION;
    }

    private static Object parseValue(Schema.Field f, String raw) {
        Schema type = f.schema();
        if (type.getType() == Schema.Type.UNION) {
            if (raw.isEmpty()) return null;
            type = type.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
        } else if (raw.isEmpty()) {
            throw new IllegalArgumentException("required value is missing");
        }
        Object value = switch (type.getType()) {
            case STRING -> raw;
            case INT -> WholeNumbers.parseInt(raw);
            case LONG -> WholeNumbers.parseLong(raw);
            case DOUBLE -> {
                double d;
                try {
                    d = Double.parseDouble(raw);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + raw + "' is not a number");
                }
                if (!Double.isFinite(d)) throw new IllegalArgumentException("'" + raw + "' is not a finite number");
                yield d;
            }
            case BOOLEAN -> switch (raw.toLowerCase()) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("'" + raw + "' is not true or false");
            };
            case ENUM -> {
                if (!type.getEnumSymbols().contains(raw)) {
                    throw new IllegalArgumentException("'" + raw + "' is not one of " + type.getEnumSymbols());
                }
                yield new GenericData.EnumSymbol(type, raw);
            }
            default -> throw new IllegalStateException("schema type " + type.getType() + " is not supported in CSV catalogs");
        };
        checkConstraint(f, raw, value);
        checkRange(f, raw, value);
        return value;
    }

    /** The field's {@code range} property as {min, max}, or null when it has none. */
    static double[] range(Schema.Field f) {
        Object r = f.getObjectProp("range");
        if (r == null) return null;
        if (r instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number lo && l.get(1) instanceof Number hi
                && Double.isFinite(lo.doubleValue()) && Double.isFinite(hi.doubleValue()) && lo.doubleValue() <= hi.doubleValue()) {
            return new double[] {lo.doubleValue(), hi.doubleValue()};
        }
        throw new IllegalArgumentException("the schema's range must be [min, max] with two numbers, min <= max; got " + r);
    }

    /** A broken range in the schema is reported like any problem (a user-supplied schemas/ folder). */
    private static boolean checkRanges(String file, Schema schema, List<Problem> problems) {
        boolean ok = true;
        for (Schema.Field f : schema.getFields()) {
            try {
                range(f);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(file, 0, f.name(), e.getMessage()));
                ok = false;
            }
        }
        return ok;
    }

    /** A number outside the field's physical range, or a distribution reaching outside it, is refused. */
    private static void checkRange(Schema.Field f, String raw, Object value) {
        double[] r = range(f);
        if (r == null || value == null) return;
        double lo, hi;
        if (value instanceof Number n) {
            lo = hi = n.doubleValue();
        } else if ("quantity".equals(String.valueOf(f.getObjectProp("constraint")))) {
            Quantity q = Quantity.parse(raw);
            // a lognormal is unbounded above: its median is held to the range
            lo = q.kind() == Quantity.Kind.LOGNORMAL ? q.central() : q.min();
            hi = q.kind() == Quantity.Kind.LOGNORMAL ? q.central() : q.max();
        } else {
            return;
        }
        if (lo < r[0] || hi > r[1]) {
            throw new IllegalArgumentException("'" + raw + "' is out of range: the physical range of " + f.name() + " is "
                    + number(r[0]) + " to " + number(r[1]));
        }
    }

    /** A range bound as written by a person: 100000, 0.001, 1e+09. */
    static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e7) return String.valueOf((long) d);
        if (Math.abs(d) >= 1e7 || Math.abs(d) < 1e-4) {
            return String.format(java.util.Locale.ROOT, "%.6g", d).replaceAll("\\.?0+e", "e");
        }
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static void checkConstraint(Schema.Field f, String raw, Object value) {
        Object c = f.getObjectProp("constraint");
        if (c == null) return;
        switch (c.toString()) {
            case "positive" -> {
                if (((Number) value).doubleValue() <= 0) throw new IllegalArgumentException("must be positive, got " + raw);
            }
            case "non_negative" -> {
                if (((Number) value).doubleValue() < 0) throw new IllegalArgumentException("must not be negative, got " + raw);
            }
            case "fraction" -> {
                double d = ((Number) value).doubleValue();
                if (d < 0 || d > 1) throw new IllegalArgumentException("must be a fraction between 0 and 1, got " + raw);
            }
            case "quantity" -> Quantity.parse(raw); // throws with the reason
            case "non_empty" -> {
                if (value.toString().isBlank()) throw new IllegalArgumentException("must not be empty");
            }
            default -> throw new IllegalStateException("unknown constraint '" + c + "' on field " + f.name());
        }
    }

    static List<String> primaryKey(Schema schema) {
        Object pk = schema.getObjectProp("primary_key");
        if (pk == null) return List.of();
        List<String> keys = new ArrayList<>();
        for (String k : pk.toString().split(",")) keys.add(k.trim());
        return keys;
    }

    private static String describeKey(GenericRecord r, List<String> keys) {
        Set<String> parts = new java.util.LinkedHashSet<>();
        for (String k : keys) parts.add(k + "=" + r.get(k));
        return String.join(", ", parts);
    }

    private static String fieldNames(Schema schema) {
        List<String> names = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) names.add(f.name());
        return String.join(", ", names);
    }

    /** Keys in {@code records} that are not present in {@code known}, reported as dangling references. */
    static void checkReferences(String file, List<Loaded> records, String field, Set<String> known, String what,
                                List<Problem> problems) {
        for (Loaded l : records) {
            Object v = l.record().get(field);
            if (v != null && !known.contains(v.toString())) {
                problems.add(new Problem(file, l.line(), field, "refers to unknown " + what + " '" + v + "'"));
            }
        }
    }

    static Set<String> values(List<Loaded> records, String field) {
        Set<String> s = new HashSet<>();
        for (Loaded l : records) s.add(String.valueOf(l.record().get(field)));
        return s;
    }
}
