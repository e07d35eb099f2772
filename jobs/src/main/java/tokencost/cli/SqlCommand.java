package tokencost.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tokencost.conf.TokencostConf;
import tokencost.report.WarehouseViews;
import tokencost.tables.Warehouse;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Runs Spark SQL against the warehouse's tables (each readable by its name, e.g. crossover) and prints the result.")
final class SqlCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "QUERY", description = "The SQL query.")
    String query;

    @Mixin
    WarehouseOption warehouseOption;

    @Option(names = "--limit", description = "Rows to print (default: ${DEFAULT-VALUE}).", defaultValue = "50")
    int limit;

    @Override
    public Integer call() {
        warehouseOption.checkToRead(common.checkPaths(), false).check();
        TokencostConf conf = common.conf();
        Warehouse wh = warehouseOption.toRead(conf, false);
        WarehouseOption.withSession(conf, "sql", spark -> {
            WarehouseViews.register(spark, wh);
            org.apache.spark.sql.Dataset<Row> df;
            try {
                df = spark.sql(query);
            } catch (Exception e) { // Spark's AnalysisException (and ParseException) is checked in Java's eyes
                if (!(e instanceof org.apache.spark.sql.AnalysisException)) throw e;
                throw new IllegalArgumentException("the query is not valid Spark SQL: " + String.valueOf(e.getMessage()).strip(), e);
            }
            List<Row> rows = df.limit(limit + 1).collectAsList();
            List<List<Object>> out = new ArrayList<>();
            for (Row r : rows.subList(0, Math.min(limit, rows.size()))) {
                List<Object> cells = new ArrayList<>();
                for (int i = 0; i < r.size(); i++) cells.add(r.get(i));
                out.add(cells);
            }
            System.out.print(Text.table(List.of(df.columns()), out));
            if (rows.size() > limit) System.out.println("... (first " + limit + " rows; --limit for more)");
        });
        return 0;
    }
}
