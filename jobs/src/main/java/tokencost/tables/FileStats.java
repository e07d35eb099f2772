package tokencost.tables;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.time.LocalDate;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The statistics Delta keeps per data file for skipping (numRecords, and minValues / maxValues / nullCount of the
 * first {@code delta.dataSkippingNumIndexedCols} data columns), gathered while the file is written and rendered as
 * the JSON of an AddFile's {@code stats}, as Delta's own writer renders them. Strings longer than Delta's 32-character
 * prefix get no min/max (Delta would truncate them; no bound is a valid "unknown"); booleans get only null counts,
 * as in Delta.
 */
final class FileStats {
    /** Delta's default {@code spark.databricks.delta.stats.skipping.string.prefixLength}. */
    static final int STRING_PREFIX = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which columns of a data schema get statistics, and their types. */
    record Columns(String[] names, DataType[] types) implements Serializable {
        static Columns first(StructType dataSchema, int numIndexedCols) {
            int n = Math.min(numIndexedCols < 0 ? dataSchema.length() : numIndexedCols, dataSchema.length());
            String[] names = new String[n];
            DataType[] types = new DataType[n];
            for (int i = 0; i < n; i++) {
                StructField f = dataSchema.fields()[i];
                names[i] = f.name();
                types[i] = f.dataType();
            }
            return new Columns(names, types);
        }
    }

    private final Columns columns;
    private long records;
    private final long[] nulls;
    private final long[] minL;
    private final long[] maxL;
    private final double[] minD;
    private final double[] maxD;
    private final UTF8String[] minS;
    private final UTF8String[] maxS;
    private final boolean[] seen;
    private final boolean[] tooLong;
    private final UTF8String[] last;

    FileStats(Columns columns) {
        this.columns = columns;
        int n = columns.names().length;
        nulls = new long[n];
        minL = new long[n];
        maxL = new long[n];
        minD = new double[n];
        maxD = new double[n];
        minS = new UTF8String[n];
        maxS = new UTF8String[n];
        seen = new boolean[n];
        tooLong = new boolean[n];
        last = new UTF8String[n];
    }

    long records() {
        return records;
    }

    void add(InternalRow row) {
        records++;
        DataType[] types = columns.types();
        for (int i = 0; i < types.length; i++) {
            if (row.isNullAt(i)) {
                nulls[i]++;
                continue;
            }
            DataType t = types[i];
            if (t == DataTypes.StringType) {
                UTF8String s = row.getUTF8String(i);
                if (s == last[i]) continue; // the same string object as the row before: bounds cannot move
                last[i] = s;
                // the row's strings may be reused buffers: keep copies, made only when a bound moves. binaryCompare is
                // Delta's order for skipping (UTF-8 bytes), and skips compareTo's per-call collation check.
                if (!seen[i]) {
                    minS[i] = s.clone();
                    maxS[i] = minS[i];
                    tooLong[i] = s.numChars() > STRING_PREFIX;
                } else {
                    if (s.binaryCompare(minS[i]) < 0) minS[i] = s.clone();
                    else if (s.binaryCompare(maxS[i]) > 0) maxS[i] = s.clone();
                    else continue;
                    tooLong[i] |= s.numChars() > STRING_PREFIX;
                }
            } else if (t == DataTypes.IntegerType || t == DataTypes.DateType) {
                long v = row.getInt(i);
                if (!seen[i] || v < minL[i]) minL[i] = v;
                if (!seen[i] || v > maxL[i]) maxL[i] = v;
            } else if (t == DataTypes.LongType) {
                long v = row.getLong(i);
                if (!seen[i] || v < minL[i]) minL[i] = v;
                if (!seen[i] || v > maxL[i]) maxL[i] = v;
            } else if (t == DataTypes.DoubleType) {
                double v = row.getDouble(i);
                if (!seen[i] || v < minD[i]) minD[i] = v;
                if (!seen[i] || v > maxD[i]) maxD[i] = v;
            }
            seen[i] = true;
        }
    }

    /** The AddFile {@code stats} JSON. */
    String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("numRecords", records);
        ObjectNode min = root.putObject("minValues");
        ObjectNode max = root.putObject("maxValues");
        ObjectNode nullCount = root.putObject("nullCount");
        String[] names = columns.names();
        DataType[] types = columns.types();
        for (int i = 0; i < names.length; i++) {
            nullCount.put(names[i], nulls[i]);
            if (!seen[i]) continue;
            DataType t = types[i];
            if (t == DataTypes.StringType && !tooLong[i]) {
                min.put(names[i], minS[i].toString());
                max.put(names[i], maxS[i].toString());
            } else if (t == DataTypes.IntegerType) {
                min.put(names[i], (int) minL[i]);
                max.put(names[i], (int) maxL[i]);
            } else if (t == DataTypes.LongType) {
                min.put(names[i], minL[i]);
                max.put(names[i], maxL[i]);
            } else if (t == DataTypes.DateType) {
                min.put(names[i], LocalDate.ofEpochDay(minL[i]).toString());
                max.put(names[i], LocalDate.ofEpochDay(maxL[i]).toString());
            } else if (t == DataTypes.DoubleType) {
                min.put(names[i], minD[i]);
                max.put(names[i], maxD[i]);
            }
        }
        if (min.isEmpty()) {
            root.remove("minValues");
            root.remove("maxValues");
        }
        return root.toString();
    }
}
