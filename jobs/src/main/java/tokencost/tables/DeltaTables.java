package tokencost.tables;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The job's Delta tables under one warehouse: created from their contracts, written one run at a time
 * (a run's rows replace that run's rows atomically), and restorable to the version before a run.
 */
public final class DeltaTables {
    private final SparkSession spark;
    private final Warehouse warehouse;
    private final Map<String, TableContract> contracts = new LinkedHashMap<>();

    public DeltaTables(SparkSession spark, Warehouse warehouse, List<String> names) {
        this.spark = spark;
        this.warehouse = warehouse;
        for (String n : names) contracts.put(n, TableContract.load(n));
    }

    public TableContract contract(String name) {
        TableContract c = contracts.get(name);
        if (c == null) throw new IllegalArgumentException("no table " + name);
        return c;
    }

    public String path(String name) {
        return warehouse.table(name);
    }

    private String ref(String name) {
        return "delta.`" + path(name) + "`";
    }

    /** Creates every missing table with its columns, comments and properties; existing tables are left alone. */
    public void ensureAll() {
        for (TableContract c : contracts.values()) {
            // Statistics only on the leading key columns: the grid's wide numeric columns would cost ~20% write time.
            int statsColumns = c.primaryKey().size() + 1;
            spark.sql("CREATE TABLE IF NOT EXISTS " + ref(c.name()) + " (\n  " + c.ddlColumns() + "\n) USING delta"
                    + " COMMENT " + TableContract.sqlString(c.doc())
                    + " TBLPROPERTIES ('delta.dataSkippingNumIndexedCols' = '" + statsColumns + "',"
                    + " 'delta.enableDeletionVectors' = 'false', 'delta.minReaderVersion' = '1', 'delta.minWriterVersion' = '2')");
        }
        if (!warehouse.database().isEmpty()) {
            spark.sql("CREATE DATABASE IF NOT EXISTS `" + warehouse.database() + "`");
            for (TableContract c : contracts.values()) {
                spark.sql("CREATE TABLE IF NOT EXISTS `" + warehouse.database() + "`.`" + c.name() + "` USING delta LOCATION "
                        + TableContract.sqlString(path(c.name())));
            }
        }
    }

    /** The latest committed version of a table (from the Delta log, no Spark job). */
    public long version(String name) {
        return org.apache.spark.sql.delta.DeltaLog.forTable(spark, path(name)).update(false, scala.Option.empty(), scala.Option.empty()).version();
    }

    public Map<String, Long> versions() {
        Map<String, Long> v = new LinkedHashMap<>();
        for (String n : contracts.keySet()) v.put(n, version(n));
        return v;
    }

    /** Puts a table's content back as of a version (a new commit; time travel still shows what happened). */
    public void restore(String name, long version) {
        if (version(name) != version) spark.sql("RESTORE TABLE " + ref(name) + " TO VERSION AS OF " + version);
    }

    /**
     * Replaces the rows of one run with {@code rows} in one atomic commit: readers see the old rows or the new,
     * never a mix; re-running a run never duplicates it. Columns are taken in the contract's order.
     */
    public void replaceRun(String name, String runId, Dataset<Row> rows) {
        replaceWhere(name, "run_id = '" + runId.replace("'", "") + "'", rows);
    }

    /** Replaces the rows matching {@code predicate} with {@code rows}, atomically. */
    public void replaceWhere(String name, String predicate, Dataset<Row> rows) {
        TableContract c = contract(name);
        rows.select(c.columns().stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new))
                .write().format("delta").mode("overwrite")
                .option("replaceWhere", predicate)
                .save(path(name));
    }

    /** Whether the table has been created (a lifecycle run may find no sweep tables). */
    public boolean exists(String name) {
        return io.delta.tables.DeltaTable.isDeltaTable(spark, path(name));
    }

    public Dataset<Row> read(String name) {
        return spark.read().format("delta").load(path(name));
    }

    public SparkSession spark() {
        return spark;
    }

    public java.util.Set<String> names() {
        return contracts.keySet();
    }
}
