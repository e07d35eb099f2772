package tokencost.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import tokencost.TestCatalogs;

/** The Databricks source format, chart specs and SVG drawing, without Spark. */
class NotebookTest {
    static final String SOURCE = """
            -- Databricks notebook source
            -- MAGIC %md
            -- MAGIC # A title
            -- MAGIC What this answers.

            -- COMMAND ----------

            CREATE WIDGET TEXT run_id DEFAULT ""

            -- COMMAND ----------

            -- chart: line x=month y=a,b series=s logy title="Two curves"
            SELECT 1 AS month; SELECT ';' AS semicolon_in_a_string -- and; in a comment

            -- COMMAND ----------

            -- MAGIC %md
            -- MAGIC - one
            -- MAGIC - **two**
            """;

    @Test
    void parsesCellsWidgetsChartsAndStatements() {
        Notebook nb = Notebook.parse("n", SOURCE);
        assertEquals("A title", nb.title());
        assertEquals("What this answers.", nb.question());
        assertEquals(4, nb.cells().size());
        assertEquals(List.of(Notebook.Kind.MARKDOWN, Notebook.Kind.WIDGET, Notebook.Kind.SQL, Notebook.Kind.MARKDOWN),
                nb.cells().stream().map(Notebook.Cell::kind).toList());
        assertEquals("", nb.widgets().get("run_id"));
        ChartSpec c = nb.cells().get(2).chart();
        assertEquals(List.of("a", "b"), c.ys());
        assertTrue(c.logY() && !c.logX());
        assertEquals("Two curves", c.title());
        assertEquals(List.of("SELECT 1 AS month", "SELECT ';' AS semicolon_in_a_string"), Notebook.statements(nb.cells().get(2).text()));
        assertTrue(Markdown.html(nb.cells().get(3).text()).contains("<li><strong>two</strong></li>"));
    }

    @Test
    void badNotebooksAreRefusedWithTheirCell() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Notebook.parse("x", "SELECT 1")).getMessage()
                .contains("x: line 1: not a Databricks notebook source"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Notebook.parse("x", Notebook.HEADER + "\nSELECT 1\n")).getMessage().contains("cell 1 must be a markdown cell"));
        String badChart = SOURCE.replace("chart: line", "chart: pie");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Notebook.parse("x", badChart)).getMessage()
                .contains("x: cell 3: chart: unknown kind 'pie'"));
    }

    @Test
    void theShippedNotebooksParseAndAnswerAQuestion() {
        List<Notebook> all = NotebookRunner.load(TestCatalogs.home().resolve("notebooks"));
        assertTrue(all.size() >= 7, all.toString());
        for (Notebook nb : all) {
            assertTrue(!nb.question().isEmpty() && nb.question().endsWith("?"), nb.name() + ": " + nb.question());
            assertTrue(nb.widgets().containsKey("warehouse") && nb.widgets().containsKey("run_id"), nb.name());
            assertTrue(nb.cells().stream().anyMatch(c -> c.chart() != null), nb.name() + " draws something");
        }
    }

    @Test
    void chartsAreWellFormedSvgWithOneMarkPerPoint() throws Exception {
        List<Object[]> rows = new ArrayList<>();
        for (int m = 1; m <= 10; m++) {
            rows.add(new Object[] {"s1", m, 1e20 * m, 0.5e20 * m, 2e20 * m, 5.0});
            rows.add(new Object[] {"s2", m, 3e20 * m, null, null, null});
        }
        var table = new SvgChart.Table(List.of("scenario", "month", "flop", "lo", "hi", "cross"), rows);
        String line = SvgChart.render(ChartSpec.parse("line x=month y=flop series=scenario band=lo:hi marker=cross logy"), table);
        Document d = xml(line);
        assertEquals("svg", d.getDocumentElement().getNodeName());
        assertEquals(2, d.getElementsByTagName("path").getLength(), "one line per series");
        assertEquals(1, d.getElementsByTagName("polygon").getLength(), "one band (only s1 has one)");
        assertTrue(line.contains("cross 5"), "the marker is labelled");
        assertTrue(!line.contains("NaN") && !line.contains("Infinity"));
        String scatter = SvgChart.render(ChartSpec.parse("scatter x=month y=flop series=scenario"), table);
        assertEquals(20, xml(scatter).getElementsByTagName("circle").getLength());
        String bars = SvgChart.render(ChartSpec.parse("bar x=month y=flop series=scenario stacked"), table);
        assertEquals(20 + 1 + 2, xml(bars).getElementsByTagName("rect").getLength(), "20 bars, the background, two legend keys");
        assertThrows(IllegalArgumentException.class, () -> SvgChart.render(ChartSpec.parse("line x=month y=nope"), table));
        assertTrue(SvgChart.render(ChartSpec.parse("line x=month y=flop"), new SvgChart.Table(table.columns(), List.of()))
                .contains("no rows to draw"));
    }

    @Test
    void labelsAreShortAndPlain() {
        assertEquals("10000", SvgChart.label(1e4));
        assertEquals("1.5e21", SvgChart.label(1.5e21));
        assertEquals("0.25", SvgChart.label(0.25));
        assertEquals("1e-4", SvgChart.label(1e-4));
        assertEquals("1235", SvgChart.label(1234.56));
    }

    static Document xml(String s) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }
}
