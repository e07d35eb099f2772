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
        return Warehouse.at(warehouse != null ? warehouse : conf.string(TokencostConf.WAREHOUSE_PATH), CommonOptions.home(),
                conf.string(TokencostConf.WAREHOUSE_DATABASE));
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
