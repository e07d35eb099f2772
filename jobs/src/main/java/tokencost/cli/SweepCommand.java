package tokencost.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.conf.TokencostConf;
import tokencost.spark.SparkSessions;
import tokencost.sweep.SweepJob;
import tokencost.sweep.SweepPlan;
import tokencost.tables.Warehouse;
import tokencost.tables.WarehouseLock;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "The Spark sweep: model x hardware x workload x optimization stack x devices x batch into Delta tables.")
final class SweepCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", description = "Logical date of the run (default: today, UTC). Re-running a date replaces its rows.")
    String runDate;

    @Option(names = "--warehouse", paramLabel = "PATH", description = "Where the Delta tables live (default: the conf's tokencost.warehouse.path).")
    String warehouse;

    @Override
    public Integer call() {
        // Everything is validated before Spark starts: a bad conf or catalog costs nothing.
        TokencostConf conf = common.conf();
        CatalogSource source = common.catalogSource(conf);
        Catalog catalog = Catalog.load(source);
        SweepPlan plan = SweepPlan.from(conf, catalog);
        LocalDate date = parseDate(runDate);
        Warehouse wh = Warehouse.at(warehouse != null ? warehouse : conf.string(TokencostConf.WAREHOUSE_PATH), CommonOptions.home(),
                conf.string(TokencostConf.WAREHOUSE_DATABASE));
        SweepJob.Run run = SweepJob.Run.of(plan, date, wh, conf, source);

        try (WarehouseLock lock = WarehouseLock.acquire(wh, run.runId(), conf.number(TokencostConf.WAREHOUSE_LOCK_WAIT_S))) {
            SparkSession spark = SparkSessions.create(conf, "tokencost sweep " + run.runId());
            try {
                SweepJob.run(spark, run, System.out);
            } finally {
                spark.stop();
            }
        }
        return 0;
    }

    static LocalDate parseDate(String s) {
        if (s == null) return LocalDate.now(java.time.ZoneOffset.UTC);
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--run-date must be YYYY-MM-DD, got '" + s + "'");
        }
    }
}
