package tokencost.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The report: {@code index.html} listing every notebook with the question it answers, and one page per
 * notebook with its markdown rendered, each query (folded), its chart and its first rows with the row count.
 * Static files only: no scripts, nothing fetched.
 */
public final class ReportWriter {
    private static final String CSS = """
            body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;margin:24px auto;padding:0 16px;color:#222}
            h1{font-size:26px}h2{font-size:20px;margin-top:28px}h3{font-size:16px}
            table{border-collapse:collapse;font-size:12px;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 7px;text-align:right}
            th{background:#f3f3f3}td.s,th.s{text-align:left}table.md td,table.md th{text-align:left}
            pre{background:#f7f7f7;padding:8px;overflow-x:auto;font-size:12px}details{margin:6px 0}summary{cursor:pointer;color:#555}
            .meta{color:#666;font-size:13px}.cell{margin:18px 0}img{max-width:100%;border:1px solid #eee}
            nav a{margin-right:10px}code{background:#f3f3f3;padding:0 3px}.scroll{overflow-x:auto}
            """;

    /** Longer values (maps of a table's history, long error texts) are cut in the page; the query has them whole. */
    static final int MAX_CELL_CHARS = 160;

    /** The report's first page. */
    public static final String INDEX = "index.html";

    private ReportWriter() {}

    /** Writes the pages; returns the path of index.html. */
    public static Path write(Path out, List<NotebookRunner.NotebookResult> results, String runLabel, String warehouse) {
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("style.css"), CSS, StandardCharsets.UTF_8);
            StringBuilder index = page("tokencost report");
            index.append("<h1>tokencost report</h1>\n<p class=\"meta\">run ").append(esc(runLabel)).append(" · warehouse <code>")
                    .append(esc(warehouse)).append("</code> · written ").append(Instant.now().toString(), 0, 19).append("Z</p>\n<ol>\n");
            for (NotebookRunner.NotebookResult r : results) {
                index.append("<li><a href=\"").append(r.page()).append("\">").append(esc(r.notebook().title())).append("</a><br><span class=\"meta\">")
                        .append(Markdown.inline(r.notebook().question())).append("</span></li>\n");
                Files.writeString(out.resolve(r.page()), notebookPage(r, results, runLabel), StandardCharsets.UTF_8);
                tokencost.spark.PausePoint.reached(tokencost.spark.PausePoint.REPORT);
            }
            index.append("</ol>\n</body></html>\n");
            Path file = out.resolve(INDEX);
            Files.writeString(file, index, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String notebookPage(NotebookRunner.NotebookResult r, List<NotebookRunner.NotebookResult> all, String runLabel) {
        StringBuilder sb = page(r.notebook().title());
        sb.append("<nav><a href=\"index.html\">index</a>");
        for (NotebookRunner.NotebookResult o : all) sb.append("<a href=\"").append(o.page()).append("\">").append(esc(o.notebook().name())).append("</a>");
        sb.append("</nav>\n<p class=\"meta\">notebook <code>notebooks/").append(esc(r.notebook().name())).append(".sql</code> · run ")
                .append(esc(runLabel)).append(String.format(Locale.ROOT, " · %.1f s", r.seconds())).append("</p>\n");
        int next = 0;
        for (Notebook.Cell c : r.notebook().cells()) {
            sb.append("<div class=\"cell\" id=\"cell").append(c.number()).append("\">\n");
            switch (c.kind()) {
                case MARKDOWN -> sb.append(Markdown.html(c.text()));
                case WIDGET -> sb.append("<details><summary>parameter (cell ").append(c.number()).append(")</summary><pre>")
                        .append(esc(c.text())).append("</pre></details>\n");
                case SQL -> {
                    NotebookRunner.CellResult res = r.cells().get(next++);
                    sb.append("<details><summary>query (cell ").append(c.number()).append(")</summary><pre>").append(esc(c.text()))
                            .append("</pre></details>\n");
                    if (res.chartFile() != null) {
                        sb.append("<img src=\"").append(res.chartFile()).append("\" alt=\"").append(esc(c.chart().title())).append("\">\n");
                    }
                    if (!res.columns().isEmpty()) table(sb, res);
                }
            }
            sb.append("</div>\n");
        }
        return sb.append("</body></html>\n").toString();
    }

    private static void table(StringBuilder sb, NotebookRunner.CellResult res) {
        sb.append("<div class=\"scroll\"><table><tr>");
        for (String c : res.columns()) sb.append("<th>").append(esc(c)).append("</th>");
        sb.append("</tr>\n");
        for (Object[] row : res.rows().subList(0, Math.min(NotebookRunner.TABLE_ROWS, res.rows().size()))) {
            sb.append("<tr>");
            for (Object v : row) {
                boolean number = v instanceof Number;
                sb.append(number ? "<td>" : "<td class=\"s\">").append(esc(value(v))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table></div>\n<p class=\"meta\">").append(String.format(Locale.ROOT, "%,d", res.rowCount())).append(res.rowCount() == 1 ? " row" : " rows")
                .append(res.rowCount() > NotebookRunner.TABLE_ROWS ? " (first " + NotebookRunner.TABLE_ROWS + " shown)" : "").append("</p>\n");
    }

    static String value(Object v) {
        if (v == null) return "—";
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) return String.valueOf(d);
            return SvgChart.label(d);
        }
        String s = String.valueOf(v);
        return s.length() > MAX_CELL_CHARS ? s.substring(0, MAX_CELL_CHARS - 1) + "…" : s;
    }

    private static StringBuilder page(String title) {
        return new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><link rel=\"stylesheet\" href=\"style.css\"></head><body>\n");
    }

    private static String esc(String s) {
        return SvgChart.esc(s);
    }
}
