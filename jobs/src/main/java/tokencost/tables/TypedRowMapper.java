package tokencost.tables;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Fills one reusable Spark {@link InternalRow} per value of a table's big row type, one typed setter per column:
 * no boxing, no per-row objects, each distinct string encoded to UTF-8 once. The row holds the table's data columns
 * (the contract's columns without the partition column {@code run_id}, which is the same for a whole write), in the
 * contract's order. It is what {@link DirectRunWrite} writes; {@link RowMapper} stays the simple way for small tables.
 * Like RowMapper it is checked against the contract when built, and a NaN or infinite number fails the row.
 */
public final class TypedRowMapper<T> implements DirectRunWrite.RowEncoder<T> {
    /** Sets column {@code i} of {@code row} from {@code value}. */
    @FunctionalInterface
    interface Setter<T> extends Serializable {
        void set(T value, SpecificInternalRow row, int i, Strings strings);
    }

    private final String table;
    private final StructType dataSchema;
    private final List<Setter<T>> setters;
    private final List<SerializableFunction<T, Object>> keys;
    private final List<String> keyNames;

    private TypedRowMapper(String table, StructType dataSchema, List<Setter<T>> setters, List<String> keyNames,
                           List<SerializableFunction<T, Object>> keys) {
        this.table = table;
        this.dataSchema = dataSchema;
        this.setters = setters;
        this.keyNames = keyNames;
        this.keys = keys;
    }

    /** The columns this mapper fills: the contract's, without {@code run_id}. */
    public StructType dataSchema() {
        return dataSchema;
    }

    /** A fresh row to fill, one per task. */
    public Filler<T> filler() {
        return new Filler<>(this);
    }

    @Override
    public Function<T, InternalRow> open() {
        return filler()::fill;
    }

    /** Fills one row again and again; not thread-safe (one per task). */
    public static final class Filler<T> {
        private final TypedRowMapper<T> mapper;
        private final Setter<T>[] setters;
        private final SpecificInternalRow row;
        private final Strings strings;

        @SuppressWarnings("unchecked")
        private Filler(TypedRowMapper<T> mapper) {
            this.mapper = mapper;
            this.setters = mapper.setters.toArray(new Setter[0]);
            this.row = new SpecificInternalRow(mapper.dataSchema);
            this.strings = new Strings(setters.length);
        }

        /** The row holding {@code value}'s columns; valid until the next call. */
        public InternalRow fill(T value) {
            try {
                for (int i = 0; i < setters.length; i++) setters[i].set(value, row, i, strings);
            } catch (NonFinite n) {
                throw nonFinite(value, n.column, n.value);
            }
            return row;
        }

        /** The value as an external Row of the data columns (for tests and small reads). */
        public Row toRow(T value) {
            return (Row) CatalystTypeConverters.createToScalaConverter(mapper.dataSchema).apply(fill(value).copy());
        }

        IllegalStateException nonFinite(T value, int column, double bad) {
            StringBuilder key = new StringBuilder("run_id=<this run>");
            for (int k = 0; k < mapper.keys.size(); k++) {
                key.append(", ").append(mapper.keyNames.get(k)).append('=').append(mapper.keys.get(k).apply(value));
            }
            return new IllegalStateException("table " + mapper.table + ": " + mapper.dataSchema.fields()[column].name() + " = " + bad
                    + " for the row (" + key + "): a non-finite number is never written; nothing of this run is committed");
        }
    }

    /**
     * UTF-8 encodings of the strings seen. A column mostly repeats the very same String object (a catalog id), so
     * each column first checks the object it saw last; then a map by content (a sweep has few distinct strings).
     */
    static final class Strings {
        private static final int MAX = 65_536;
        private final Map<String, UTF8String> cache = new HashMap<>();
        private final String[] lastString;
        private final UTF8String[] lastUtf8;

        Strings(int columns) {
            lastString = new String[columns];
            lastUtf8 = new UTF8String[columns];
        }

        UTF8String of(int column, String s) {
            if (s == lastString[column]) return lastUtf8[column];
            UTF8String u = cache.get(s);
            if (u == null) {
                if (cache.size() >= MAX) cache.clear(); // free text must not grow the cache without bound
                u = UTF8String.fromString(s);
                cache.put(s, u);
            }
            lastString[column] = s;
            lastUtf8[column] = u;
            return u;
        }
    }

    public static <T> Builder<T> forTable(TableContract contract) {
        return new Builder<>(contract);
    }

    /** Collects one typed setter per data column, in any order; checked against the contract's types and nullability. */
    public static final class Builder<T> {
        private final TableContract contract;
        private final Map<String, Setter<T>> byColumn = new LinkedHashMap<>();
        private final Map<String, DataType> types = new HashMap<>();
        private final Map<String, Boolean> nullable = new HashMap<>();
        private final Map<String, SerializableFunction<T, Object>> keyValues = new HashMap<>();

        private Builder(TableContract contract) {
            this.contract = contract;
        }

        private Builder<T> put(String name, DataType type, boolean mayBeNull, Setter<T> s, SerializableFunction<T, Object> value) {
            if (byColumn.put(name, s) != null) throw new IllegalStateException("column " + name + " given twice");
            types.put(name, type);
            nullable.put(name, mayBeNull);
            keyValues.put(name, value);
            return this;
        }

        public Builder<T> string(String name, SerializableFunction<T, String> f) {
            String table = contract.name(); // the setter travels to executors; the builder does not
            return put(name, DataTypes.StringType, false, (v, row, i, s) -> {
                String x = f.apply(v);
                if (x == null) throw new IllegalStateException("table " + table + ": column " + name + " is NOT NULL but got null");
                row.update(i, s.of(i, x));
            }, f::apply);
        }

        public Builder<T> nullableString(String name, SerializableFunction<T, String> f) {
            return put(name, DataTypes.StringType, true, (v, row, i, s) -> {
                String x = f.apply(v);
                if (x == null) row.setNullAt(i);
                else row.update(i, s.of(i, x));
            }, f::apply);
        }

        public Builder<T> integer(String name, SerializableToIntFunction<T> f) {
            return put(name, DataTypes.IntegerType, false, (v, row, i, s) -> row.setInt(i, f.applyAsInt(v)), f::applyAsInt);
        }

        public Builder<T> nullableInteger(String name, SerializableFunction<T, Integer> f) {
            return put(name, DataTypes.IntegerType, true, (v, row, i, s) -> {
                Integer x = f.apply(v);
                if (x == null) row.setNullAt(i);
                else row.setInt(i, x);
            }, f::apply);
        }

        public Builder<T> bool(String name, SerializablePredicate<T> f) {
            return put(name, DataTypes.BooleanType, false, (v, row, i, s) -> row.setBoolean(i, f.test(v)), f::test);
        }

        public Builder<T> nullableBool(String name, SerializableFunction<T, Boolean> f) {
            return put(name, DataTypes.BooleanType, true, (v, row, i, s) -> {
                Boolean x = f.apply(v);
                if (x == null) row.setNullAt(i);
                else row.setBoolean(i, x);
            }, f::apply);
        }

        /** A date column with one value for the whole write (the run date). */
        public Builder<T> constantDate(String name, LocalDate date) {
            int days = (int) date.toEpochDay();
            return put(name, DataTypes.DateType, false, (v, row, i, s) -> row.setInt(i, days), v -> date);
        }

        public Builder<T> number(String name, SerializableToDoubleFunction<T> f) {
            return put(name, DataTypes.DoubleType, false, (v, row, i, s) -> {
                double x = f.applyAsDouble(v);
                if (!Double.isFinite(x)) throw new NonFinite(i, x); // the filler names the row
                row.setDouble(i, x);
            }, f::applyAsDouble);
        }

        public Builder<T> nullableNumber(String name, SerializableFunction<T, Double> f) {
            return put(name, DataTypes.DoubleType, true, (v, row, i, s) -> {
                Double x = f.apply(v);
                if (x == null) {
                    row.setNullAt(i);
                } else {
                    if (!Double.isFinite(x)) throw new NonFinite(i, x);
                    row.setDouble(i, x);
                }
            }, f::apply);
        }

        /** A double that is null where {@code present} says so: no boxing per row, for values stored unboxed. */
        public Builder<T> nullableNumber(String name, SerializablePredicate<T> present, SerializableToDoubleFunction<T> f) {
            return put(name, DataTypes.DoubleType, true, (v, row, i, s) -> {
                if (!present.test(v)) {
                    row.setNullAt(i);
                    return;
                }
                double x = f.applyAsDouble(v);
                if (!Double.isFinite(x)) throw new NonFinite(i, x);
                row.setDouble(i, x);
            }, v -> present.test(v) ? f.applyAsDouble(v) : null);
        }

        public TypedRowMapper<T> build() {
            List<StructField> fields = new ArrayList<>();
            List<Setter<T>> setters = new ArrayList<>();
            for (StructField f : contract.sparkSchema().fields()) {
                if (f.name().equals(DeltaTables.RUN_ID)) continue;
                Setter<T> s = byColumn.get(f.name());
                if (s == null) throw new IllegalStateException("table " + contract.name() + ": no value for column " + f.name());
                if (!types.get(f.name()).equals(f.dataType())) {
                    throw new IllegalStateException("table " + contract.name() + ": column " + f.name() + " is " + f.dataType().simpleString()
                            + " in the contract, the mapper gives " + types.get(f.name()).simpleString());
                }
                if (nullable.get(f.name()) && !f.nullable()) {
                    throw new IllegalStateException("table " + contract.name() + ": column " + f.name() + " is NOT NULL in the contract");
                }
                fields.add(f);
                setters.add(s);
            }
            if (byColumn.size() != setters.size()) {
                var extra = new java.util.TreeSet<>(byColumn.keySet());
                extra.removeAll(contract.columns());
                throw new IllegalStateException("table " + contract.name() + ": values for columns not in its contract: " + extra);
            }
            List<String> keyNames = new ArrayList<>();
            List<SerializableFunction<T, Object>> keys = new ArrayList<>();
            for (String k : contract.primaryKey()) {
                if (k.equals(DeltaTables.RUN_ID)) continue;
                keyNames.add(k);
                keys.add(keyValues.get(k));
            }
            return new TypedRowMapper<>(contract.name(), new StructType(fields.toArray(StructField[]::new)), setters, keyNames, keys);
        }
    }

    /** Thrown by a setter; the filler turns it into the error naming the row. */
    static final class NonFinite extends RuntimeException {
        final int column;
        final double value;

        NonFinite(int column, double value) {
            super(null, null, false, false);
            this.column = column;
            this.value = value;
        }
    }

    public interface SerializableFunction<A, B> extends Function<A, B>, Serializable {}

    public interface SerializableToIntFunction<A> extends ToIntFunction<A>, Serializable {}

    public interface SerializableToDoubleFunction<A> extends ToDoubleFunction<A>, Serializable {}

    public interface SerializablePredicate<A> extends Predicate<A>, Serializable {}
}
