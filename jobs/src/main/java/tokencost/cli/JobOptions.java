package tokencost.cli;

import java.time.LocalDate;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;
import tokencost.conf.TokencostConf;
import tokencost.tables.Warehouse;
import tokencost.tables.WarehouseLock;

/** Options and plumbing every Spark job command shares: the logical date, the warehouse, lock + session. */
final class JobOptions {

    @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", description = "Logical date of the run (default: today, UTC). Re-running a date replaces its rows.")
    String runDate;

    @picocli.CommandLine.Mixin
    WarehouseOption warehouseOption;

    LocalDate date() {
        return SweepCommand.parseDate(runDate);
    }

    /** The warehouse the job writes, its path checked (see {@link WarehouseOption#toWrite}). */
    Warehouse warehouse(TokencostConf conf) {
        return warehouseOption.toWrite(conf);
    }

    /** Checks --warehouse, when given, before the conf is read. */
    PathChecks checkPaths(PathChecks checks) {
        return warehouseOption.checkToWrite(checks);
    }

    /** Takes the warehouse's writer lock, starts Spark, runs the work, stops Spark and releases the lock. */
    static void withSpark(TokencostConf conf, Warehouse wh, String runId, String what, Consumer<SparkSession> work) {
        try (WarehouseLock lock = WarehouseLock.acquire(wh, runId, conf.number(TokencostConf.WAREHOUSE_LOCK_WAIT_S))) {
            WarehouseOption.withSession(conf, what + " " + runId, work);
        }
    }
}
