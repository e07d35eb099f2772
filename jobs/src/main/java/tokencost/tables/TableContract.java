package tokencost.tables;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A table's contract: its Avro schema (jobs/src/main/resources/tables/NAME.avsc) gives the columns, their
 * types, nullability and comments, the table comment and the primary key. The Delta table is created from
 * it, and the tests check the written table against it.
 */
public record TableContract(String name, String doc, List<String> primaryKey, Schema avro, StructType sparkSchema) {

    public static TableContract load(String name) {
        String resource = "tables/" + name + ".avsc";
        try (InputStream in = TableContract.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("table contract " + resource + " is not on the classpath");
            Schema avro = new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<String> key = new ArrayList<>();
            for (String k : String.valueOf(avro.getObjectProp("primary_key")).split(",")) key.add(k.trim());
            return new TableContract(name, avro.getDoc(), List.copyOf(key), avro, toSpark(avro));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StructType toSpark(Schema record) {
        List<StructField> fields = new ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            Schema t = f.schema();
            boolean nullable = false;
            if (t.getType() == Schema.Type.UNION) {
                nullable = true;
                t = t.getTypes().stream().filter(x -> x.getType() != Schema.Type.NULL).findFirst().orElseThrow();
            }
            Metadata comment = new MetadataBuilder().putString("comment", f.doc()).build();
            fields.add(new StructField(f.name(), sparkType(t), nullable, comment));
        }
        return new StructType(fields.toArray(new StructField[0]));
    }

    private static DataType sparkType(Schema t) {
        if (t.getLogicalType() instanceof LogicalTypes.Date) return DataTypes.DateType;
        if (t.getLogicalType() instanceof LogicalTypes.TimestampMicros) return DataTypes.TimestampType;
        return switch (t.getType()) {
            case STRING -> DataTypes.StringType;
            case INT -> DataTypes.IntegerType;
            case LONG -> DataTypes.LongType;
            case DOUBLE -> DataTypes.DoubleType;
            case BOOLEAN -> DataTypes.BooleanType;
            case MAP -> DataTypes.createMapType(DataTypes.StringType, sparkType(t.getValueType()));
            default -> throw new IllegalStateException("unsupported type in a table contract: " + t);
        };
    }

    /** Column list for CREATE TABLE, with NOT NULL and COMMENT from the contract. */
    public String ddlColumns() {
        List<String> cols = new ArrayList<>();
        for (StructField f : sparkSchema.fields()) {
            cols.add("`" + f.name() + "` " + f.dataType().sql() + (f.nullable() ? "" : " NOT NULL")
                    + " COMMENT " + sqlString(f.metadata().getString("comment")));
        }
        return String.join(",\n  ", cols);
    }

    public List<String> columns() {
        return List.of(sparkSchema.fieldNames());
    }

    /**
     * The Delta CHECK constraints of the table, name to SQL: the contract's {@code checks} (invariants such as
     * "costs positive where the cell fits") and, unless its rows are guarded on the way in ({@code
     * "finite_guard": "row_mapper"}), one that every double column is finite. Each is written so that a
     * violation names the row's key: Delta reports the values of every column a constraint reads.
     */
    public java.util.Map<String, String> checks() {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        Object declared = avro.getObjectProp("checks");
        if (declared instanceof java.util.Map<?, ?> m) {
            for (var e : m.entrySet()) out.put(String.valueOf(e.getKey()), withKey(String.valueOf(e.getValue())));
        }
        if (!"row_mapper".equals(avro.getObjectProp("finite_guard"))) {
            List<String> finite = new ArrayList<>();
            for (StructField f : sparkSchema.fields()) {
                if (f.dataType().equals(DataTypes.DoubleType)) {
                    finite.add("(`" + f.name() + "` IS NULL OR (NOT isnan(`" + f.name() + "`) AND abs(`" + f.name() + "`) < double('Infinity')))");
                }
            }
            if (!finite.isEmpty()) out.put(name + "_finite", withKey(String.join(" AND ", finite)));
        }
        return out;
    }

    private String withKey(String invariant) {
        List<String> keys = new ArrayList<>();
        for (String k : primaryKey) keys.add("cast(`" + k + "` AS STRING)");
        return "coalesce((" + invariant + "), false) OR concat_ws('|', " + String.join(", ", keys) + ") IS NULL";
    }

    static String sqlString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
