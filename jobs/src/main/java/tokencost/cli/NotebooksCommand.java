package tokencost.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tokencost.conf.TokencostConf;
import tokencost.report.NotebookRunner;
import tokencost.report.Report;
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

    @Mixin
    WarehouseOption warehouseOption;

    @Override
    public Integer call() {
        warehouseOption.checkToRead(common.checkPaths(), true).inputFolder("--notebooks", notebooks).reportFolder("--out", out).check();
        TokencostConf conf = common.conf();
        Warehouse wh = warehouseOption.toRead(conf, true);
        Path dir = notebooks != null ? CliPaths.resolve(notebooks) : defaultNotebooks();
        NotebookRunner.load(dir); // parse errors before Spark starts
        WarehouseOption.withSession(conf, "notebooks", spark ->
                System.out.println("report: " + Report.write(spark, wh, dir, run, CliPaths.resolve(out), System.out)));
        return 0;
    }

    static Path defaultNotebooks() {
        return CommonOptions.home().resolve("notebooks");
    }
}
