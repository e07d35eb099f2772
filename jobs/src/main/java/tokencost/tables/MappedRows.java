package tokencost.tables;

import java.io.Serializable;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericRow;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A small table's rows for {@link DirectRunWrite}: its {@link RowMapper}'s Rows (every contract column) converted to
 * Spark's internal format without {@code run_id}, which the write adds. Boxed and generic, so for tables of thousands
 * of rows, not for the grid ({@link TypedRowMapper}).
 */
public final class MappedRows<T> implements DirectRunWrite.RowEncoder<T> {
    /** Makes the table's RowMapper inside a task (a RowMapper itself does not travel). */
    public interface MapperSupplier<T> extends Supplier<RowMapper<T>>, Serializable {}

    private final StructType dataSchema;
    private final int runIdColumn;
    private final MapperSupplier<T> mapper;

    private MappedRows(StructType dataSchema, int runIdColumn, MapperSupplier<T> mapper) {
        this.dataSchema = dataSchema;
        this.runIdColumn = runIdColumn;
        this.mapper = mapper;
    }

    public static <T> MappedRows<T> of(String table, MapperSupplier<T> mapper) {
        StructType schema = TableContract.load(table).sparkSchema();
        int runId = Arrays.asList(schema.fieldNames()).indexOf(DeltaTables.RUN_ID);
        if (runId < 0) throw new IllegalStateException("table " + table + " has no " + DeltaTables.RUN_ID + " column");
        StructType data = new StructType(Arrays.stream(schema.fields()).filter(f -> !f.name().equals(DeltaTables.RUN_ID))
                .toArray(StructField[]::new));
        return new MappedRows<>(data, runId, mapper);
    }

    @Override
    public StructType dataSchema() {
        return dataSchema;
    }

    @Override
    public Function<T, InternalRow> open() {
        RowMapper<T> rows = mapper.get();
        scala.Function1<Object, Object> toInternal = CatalystTypeConverters.createToCatalystConverter(dataSchema);
        int n = dataSchema.length();
        return value -> {
            Row row = rows.toRow(value);
            Object[] data = new Object[n];
            for (int i = 0, j = 0; i <= n; i++) if (i != runIdColumn) data[j++] = row.get(i);
            return (InternalRow) toInternal.apply(new GenericRow(data));
        };
    }
}
