package tokencost.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark SQL notebook in the Databricks source format: a first line {@code -- Databricks notebook source},
 * cells separated by {@code -- COMMAND ----------}, markdown cells as {@code -- MAGIC %md} lines. Parameters
 * are Databricks widgets ({@code CREATE WIDGET TEXT name DEFAULT "value"}) referenced as {@code ${name}}, which
 * Spark SQL substitutes from the session conf; a SQL cell may carry a {@code -- chart: ...} comment that the
 * report draws (Databricks ignores it).
 */
public record Notebook(String name, String title, String question, List<Cell> cells, Map<String, String> widgets) {

    public static final String HEADER = "-- Databricks notebook source";
    public static final String SEPARATOR = "-- COMMAND ----------";
    private static final Pattern WIDGET = Pattern.compile(
            "(?is)\\s*CREATE\\s+WIDGET\\s+TEXT\\s+(\\w+)\\s+DEFAULT\\s+(?:\"([^\"]*)\"|'([^']*)')\\s*;?\\s*");

    public enum Kind { MARKDOWN, SQL, WIDGET }

    /** One cell: its 1-based number in the notebook, markdown or SQL text, and the chart to draw (null: none). */
    public record Cell(int number, Kind kind, String text, ChartSpec chart) {}

    public static Notebook parse(String name, String source) {
        String text = source.replace("\r\n", "\n");
        if (!text.startsWith(HEADER)) {
            throw new IllegalArgumentException(name + ": line 1: not a Databricks notebook source (expected '" + HEADER + "')");
        }
        String[] parts = text.substring(HEADER.length()).split("\n" + Pattern.quote(SEPARATOR) + "[^\n]*(\n|$)", -1);
        List<Cell> cells = new ArrayList<>();
        Map<String, String> widgets = new LinkedHashMap<>();
        for (String part : parts) {
            String body = part.strip();
            if (body.isEmpty()) continue;
            int number = cells.size() + 1;
            if (body.startsWith("-- MAGIC")) {
                StringBuilder md = new StringBuilder();
                for (String line : body.split("\n")) {
                    String l = line.startsWith("-- MAGIC") ? line.substring("-- MAGIC".length()) : line;
                    if (l.startsWith(" ")) l = l.substring(1);
                    md.append(l).append('\n');
                }
                String m = md.toString();
                if (!m.startsWith("%md")) throw new IllegalArgumentException(name + ": cell " + number + ": only %md MAGIC cells are supported");
                cells.add(new Cell(number, Kind.MARKDOWN, m.substring(3).strip(), null));
                continue;
            }
            Matcher w = WIDGET.matcher(withoutComments(body));
            if (w.matches()) {
                widgets.put(w.group(1), w.group(2) != null ? w.group(2) : w.group(3));
                cells.add(new Cell(number, Kind.WIDGET, body, null));
                continue;
            }
            ChartSpec chart = null;
            for (String line : body.split("\n")) {
                if (line.strip().startsWith("-- chart:")) {
                    try {
                        chart = ChartSpec.parse(line.strip().substring("-- chart:".length()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(name + ": cell " + number + ": " + e.getMessage(), e);
                    }
                }
            }
            cells.add(new Cell(number, Kind.SQL, body, chart));
        }
        String title = name, question = "";
        if (!cells.isEmpty() && cells.get(0).kind() == Kind.MARKDOWN) {
            String[] lines = cells.get(0).text().split("\n");
            for (String l : lines) {
                if (l.startsWith("# ") && title.equals(name)) title = l.substring(2).strip();
                else if (question.isEmpty() && !l.isBlank() && !l.startsWith("#")) question = l.strip();
            }
        } else {
            throw new IllegalArgumentException(name + ": cell 1 must be a markdown cell saying what question the notebook answers");
        }
        return new Notebook(name, title, question, List.copyOf(cells), Map.copyOf(widgets));
    }

    /** The SQL statements of a cell, split on semicolons outside quotes and comments. */
    public static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote == 0 && c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
                cur.append('\n');
                continue;
            }
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == ';') {
                if (!cur.toString().isBlank()) out.add(cur.toString().strip());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().strip());
        return out;
    }

    private static String withoutComments(String sql) {
        StringBuilder sb = new StringBuilder();
        for (String line : sql.split("\n")) if (!line.strip().startsWith("--")) sb.append(line).append('\n');
        return sb.toString();
    }
}
