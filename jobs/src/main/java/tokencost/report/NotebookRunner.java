package tokencost.report;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import tokencost.tables.Warehouse;

/**
 * Executes notebooks cell by cell against a warehouse's Delta tables with the embedded Spark: widgets become
 * session conf values that Spark SQL substitutes for {@code ${name}}, every statement of a SQL cell runs, the
 * last one's result is kept (first rows for the page, up to {@link #CHART_ROWS} for its chart).
 */
public final class NotebookRunner {
    /** Rows a chart may draw. */
    public static final int CHART_ROWS = 5000;
    /** Rows a result table shows. */
    public static final int TABLE_ROWS = 20;

    private NotebookRunner() {}

    /** A SQL cell's result: its columns, first rows, the row count, and the chart file (null: none). */
    public record CellResult(Notebook.Cell cell, List<String> columns, List<Object[]> rows, long rowCount, String chartFile) {}

    public record NotebookResult(Notebook notebook, String page, List<CellResult> cells, double seconds) {}

    /** Every {@code *.sql} notebook of a folder, by file name. */
    public static List<Notebook> load(Path dir) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": notebooks folder not found");
        try (Stream<Path> files = Files.list(dir)) {
            List<Notebook> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList()) {
                String name = f.getFileName().toString().replaceFirst("\\.sql$", "");
                out.add(Notebook.parse(name, Files.readString(f, StandardCharsets.UTF_8)));
            }
            if (out.isEmpty()) throw new IllegalArgumentException(dir + ": no *.sql notebooks");
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A cell that failed: the notebook, the cell number and Spark's message. */
    public static final class CellFailedException extends IllegalStateException {
        public CellFailedException(String notebook, int cell, Throwable cause) {
            super("notebook " + notebook + ", cell " + cell + " failed: " + firstLine(cause), cause);
        }

        private static String firstLine(Throwable t) {
            String m = String.valueOf(t.getMessage());
            return m.length() > 2000 ? m.substring(0, 2000) + " ..." : m;
        }
    }

    /**
     * Runs the notebooks; charts go to {@code out/charts}. {@code params} override widget defaults ({@code
     * warehouse} is always the warehouse's root).
     */
    public static List<NotebookResult> run(SparkSession spark, Warehouse warehouse, Map<String, String> params, List<Notebook> notebooks,
                                           Path out, PrintStream log) {
        Path charts = out.resolve("charts");
        try {
            Files.createDirectories(charts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        WarehouseViews.register(spark, warehouse);
        List<NotebookResult> results = new ArrayList<>();
        for (Notebook nb : notebooks) {
            long t0 = System.nanoTime();
            for (Map.Entry<String, String> w : nb.widgets().entrySet()) {
                spark.conf().set(w.getKey(), w.getKey().equals("warehouse") ? warehouse.root() : params.getOrDefault(w.getKey(), w.getValue()));
            }
            List<CellResult> cells = new ArrayList<>();
            for (Notebook.Cell c : nb.cells()) {
                if (c.kind() != Notebook.Kind.SQL) continue;
                try {
                    cells.add(runCell(spark, nb, c, charts));
                } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes
                    throw new CellFailedException(nb.name(), c.number(), e);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            log.printf("  notebook %s: %d cells in %.1f s%n", nb.name(), nb.cells().size(), seconds);
            results.add(new NotebookResult(nb, nb.name() + ".html", cells, seconds));
        }
        return results;
    }

    private static CellResult runCell(SparkSession spark, Notebook nb, Notebook.Cell c, Path charts) {
        Dataset<Row> last = null;
        for (String statement : Notebook.statements(c.text())) last = spark.sql(statement);
        if (last == null || last.columns().length == 0) return new CellResult(c, List.of(), List.of(), 0, null);
        List<String> columns = List.of(last.columns());
        List<Row> collected = last.limit(CHART_ROWS + 1).collectAsList();
        long count = collected.size() <= CHART_ROWS ? collected.size() : last.count();
        List<Object[]> rows = new ArrayList<>();
        for (Row r : collected.subList(0, Math.min(CHART_ROWS, collected.size()))) {
            Object[] v = new Object[r.size()];
            for (int i = 0; i < v.length; i++) v[i] = r.get(i);
            rows.add(v);
        }
        String chartFile = null;
        if (c.chart() != null) {
            String svg = SvgChart.render(c.chart(), new SvgChart.Table(columns, rows));
            chartFile = "charts/" + nb.name() + "-cell" + c.number() + ".svg";
            try {
                Files.writeString(charts.resolve(nb.name() + "-cell" + c.number() + ".svg"), svg, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new CellResult(c, columns, rows, count, chartFile);
    }
}
