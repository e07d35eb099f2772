package tokencost.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tokencost.conf.TokencostConf;
import tokencost.report.NotebookRunner;
import tokencost.report.Report;
import tokencost.spark.SparkSessions;
import tokencost.tables.Warehouse;

@Command(name = "notebooks", mixinStandardHelpOptions = true,
        description = "Runs every notebook in notebooks/ cell by cell against the Delta tables and writes the HTML report (index.html, one page per notebook, SVG charts).")
final class NotebooksCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--run", paramLabel = "RUN_ID", description = "Run to show (default: the latest succeeded run).")
    String run;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the report goes (default: ${DEFAULT-VALUE}).", defaultValue = "report")
    Path out;

    @Option(names = "--notebooks", paramLabel = "DIR", description = "Notebooks folder (default: notebooks/ of the tokencost home).")
    Path notebooks;

    @Option(names = "--warehouse", paramLabel = "PATH", description = "Where the Delta tables live (default: the conf's tokencost.warehouse.path).")
    String warehouse;

    @Override
    public Integer call() {
        TokencostConf conf = common.conf();
        Warehouse wh = Warehouse.at(warehouse != null ? warehouse : conf.string(TokencostConf.WAREHOUSE_PATH), CommonOptions.home(),
                conf.string(TokencostConf.WAREHOUSE_DATABASE));
        Path dir = notebooks != null ? notebooks : defaultNotebooks();
        NotebookRunner.load(dir); // parse errors before Spark starts
        SparkSession spark = SparkSessions.create(conf, "tokencost notebooks");
        try {
            Path index = Report.write(spark, wh, dir, run, out.toAbsolutePath(), System.out);
            System.out.println("report: " + index);
        } finally {
            spark.stop();
        }
        return 0;
    }

    static Path defaultNotebooks() {
        return CommonOptions.home().resolve("notebooks");
    }
}
