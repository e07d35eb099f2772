package tokencost.report;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import tokencost.lifecycle.LifecycleJob;
import tokencost.sweep.SweepJob;
import tokencost.tables.DeltaTables;
import tokencost.tables.Warehouse;

/**
 * Makes a warehouse's tables readable by name in a session: a temporary view per existing table, and the
 * {@code warehouse} substitution variable so notebooks can also write {@code delta.`${warehouse}/table`}.
 */
public final class WarehouseViews {
    /** Every table tokencost writes. */
    public static final List<String> TABLES;

    static {
        List<String> all = new ArrayList<>(SweepJob.TABLES);
        for (String t : LifecycleJob.TABLES) if (!all.contains(t)) all.add(t);
        TABLES = List.copyOf(all);
    }

    private WarehouseViews() {}

    /** Registers the views; returns the tables that exist (a warehouse may hold only the sweep's). */
    public static List<String> register(SparkSession spark, Warehouse warehouse) {
        DeltaTables tables = new DeltaTables(spark, warehouse, TABLES);
        List<String> present = new ArrayList<>();
        for (String t : TABLES) {
            if (!tables.exists(t)) continue;
            tables.read(t).createOrReplaceTempView(t);
            present.add(t);
        }
        spark.conf().set("warehouse", warehouse.root());
        return present;
    }
}
