package tokencost.cli;

import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;
import tokencost.conf.TokencostConf;
import tokencost.spark.SparkSessions;
import tokencost.tables.Warehouse;

/** The --warehouse option every command that reads or writes the tables shares, and a reader's Spark session. */
final class WarehouseOption {

    @Option(names = "--warehouse", paramLabel = "PATH", description = "Where the Delta tables live (default: the conf's tokencost.warehouse.path).")
    String warehouse;

    Warehouse warehouse(TokencostConf conf) {
        return CliPaths.warehouse(warehouse != null ? warehouse : conf.string(TokencostConf.WAREHOUSE_PATH),
                conf.string(TokencostConf.WAREHOUSE_DATABASE));
    }

    /** Checks --warehouse, when given, as a folder the job writes (before the conf is read). */
    PathChecks checkToWrite(PathChecks checks) {
        return warehouse == null ? checks : checks.warehouseToWrite("--warehouse", warehouse, CliPaths.warehouse(warehouse));
    }

    /** Checks --warehouse, when given, as a folder a command reads. */
    PathChecks checkToRead(PathChecks checks, boolean mustExist) {
        return warehouse == null ? checks
                : checks.warehouseToRead("--warehouse", warehouse, CliPaths.warehouse(warehouse), mustExist);
    }

    /** The warehouse a job writes; without --warehouse, the conf's tokencost.warehouse.path checked like --warehouse. */
    Warehouse toWrite(TokencostConf conf) {
        Warehouse wh = warehouse(conf);
        if (warehouse == null) new PathChecks().warehouseToWrite(confKey(conf), conf.string(TokencostConf.WAREHOUSE_PATH), wh).check();
        return wh;
    }

    /** The warehouse a command reads; without --warehouse, the conf's tokencost.warehouse.path checked like --warehouse. */
    Warehouse toRead(TokencostConf conf, boolean mustExist) {
        Warehouse wh = warehouse(conf);
        if (warehouse == null) {
            new PathChecks().warehouseToRead(confKey(conf), conf.string(TokencostConf.WAREHOUSE_PATH), wh, mustExist).check();
        }
        return wh;
    }

    /** How to name the conf's warehouse key in a message: with the file and line that set it. */
    private static String confKey(TokencostConf conf) {
        int line = conf.line(TokencostConf.WAREHOUSE_PATH);
        return TokencostConf.WAREHOUSE_PATH.key() + (line > 0 ? " (" + conf.file(TokencostConf.WAREHOUSE_PATH) + ":" + line + ")" : " (default)");
    }

    /** Starts Spark, runs the work, stops Spark (no writer lock: readers call it directly, jobs under their lock). */
    static void withSession(TokencostConf conf, String what, Consumer<SparkSession> work) {
        SparkSession spark = SparkSessions.create(conf, "tokencost " + what);
        try {
            work.accept(spark);
        } finally {
            spark.stop();
        }
    }
}
