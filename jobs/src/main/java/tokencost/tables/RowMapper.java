package tokencost.tables;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Turns a value into a Row of a table's contract, one extractor per column. Built against the contract,
 * so a column added to the contract without an extractor (or the other way round) fails at once.
 */
public final class RowMapper<T> {
    private final String table;
    private final Function<T, Object>[] extractors;
    private final String[] columns;
    private final int[] keys;

    @SuppressWarnings("unchecked")
    private RowMapper(TableContract contract, Map<String, Function<T, Object>> byColumn) {
        this.table = contract.name();
        this.extractors = new Function[contract.columns().size()];
        this.columns = contract.columns().toArray(String[]::new);
        this.keys = contract.primaryKey().stream().mapToInt(k -> contract.columns().indexOf(k)).toArray();
        int i = 0;
        for (String col : contract.columns()) {
            Function<T, Object> f = byColumn.get(col);
            if (f == null) throw new IllegalStateException("table " + table + ": no value for column " + col);
            extractors[i++] = f;
        }
        if (byColumn.size() != extractors.length) {
            var extra = new java.util.TreeSet<>(byColumn.keySet());
            extra.removeAll(contract.columns());
            throw new IllegalStateException("table " + table + ": values for columns not in its contract: " + extra);
        }
    }

    /** The row; a NaN or infinite number never reaches a table: it fails the run, naming the row's key. */
    public Row toRow(T value) {
        Object[] v = new Object[extractors.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = extractors[i].apply(value);
            if (v[i] instanceof Double d && !Double.isFinite(d)) throw nonFinite(value, d, i);
        }
        return RowFactory.create(v);
    }

    private IllegalStateException nonFinite(T value, double bad, int column) {
        StringBuilder key = new StringBuilder();
        for (int k : keys) key.append(key.isEmpty() ? "" : ", ").append(columns[k]).append('=').append(extractors[k].apply(value));
        return new IllegalStateException("table " + table + ": " + columns[column] + " = " + bad + " for the row (" + key
                + "): a non-finite number is never written; nothing of this run is committed");
    }

    /** Rows already in the contract's columns, checked as any mapper's rows are (a non-finite number fails). */
    public static RowMapper<Row> identity(TableContract contract) {
        Builder<Row> b = forTable(contract);
        for (int i = 0; i < contract.columns().size(); i++) {
            int column = i;
            b.col(contract.columns().get(i), r -> r.get(column));
        }
        return b.build();
    }

    public static <T> Builder<T> forTable(TableContract contract) {
        return new Builder<>(contract);
    }

    /** Collects column extractors in any order. */
    public static final class Builder<T> {
        private final TableContract contract;
        private final Map<String, Function<T, Object>> byColumn = new LinkedHashMap<>();

        private Builder(TableContract contract) {
            this.contract = contract;
        }

        public Builder<T> col(String name, Function<T, Object> f) {
            if (byColumn.put(name, f) != null) throw new IllegalStateException("column " + name + " given twice");
            return this;
        }

        public RowMapper<T> build() {
            return new RowMapper<>(contract, byColumn);
        }
    }
}
