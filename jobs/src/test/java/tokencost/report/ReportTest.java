package tokencost.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;
import tokencost.TestCatalogs;
import tokencost.catalog.CatalogSource;
import tokencost.conf.TokencostConf;
import tokencost.calibration.ValidationJob;
import tokencost.lifecycle.LifecycleJob;
import tokencost.sweep.SweepJob;
import tokencost.sweep.SweepPlan;
import tokencost.tables.Warehouse;

/**
 * Every shipped notebook runs on a small real warehouse (two sweeps on two dates, so there is a previous run,
 * and a lifecycle run), and the report they render is complete: every link and image exists, every chart is a
 * well-formed SVG. That Chromium draws a page is ReportInChromiumIT's (a one-slice warehouse: failsafe runs it).
 */
class ReportTest extends SparkTestBase {
    static final String SWEEP = "tokencost.sweep {\n"
            + "  models = [llama-3.1-8b, llama-3.1-70b]\n"
            + "  hardware = [h100-sxm, mi300x, a100-sxm-80gb]\n"
            + "  workloads = [chat, code-assistant]\n"
            + "  devices = [1, 2, 4, 8]\n"
            + "  batches = [1, 16, 64, 256]\n"
            + "  stack-levers = [fp8, continuous-batching, flash-attention, paged-kv]\n"
            + "}\n"
            + "tokencost.lifecycle { scenarios = [llama-70b-code-flat, llama-8b-batch-analytics], draws = 20 }\n";

    @TempDir
    static Path dir;
    static Path report;
    static Path index;
    static String log;

    @BeforeAll
    static void buildWarehouseAndReport() throws Exception {
        Path f = dir.resolve("report-test.conf");
        Files.writeString(f, SWEEP);
        Warehouse wh = Warehouse.at(dir.resolve("warehouse").toString(), dir);
        var source = CatalogSource.directory(TestCatalogs.datasets());
        var cat = TestCatalogs.real();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        // the previous week's run used fewer batches: the notebooks have a previous run to compare with
        TokencostConf previous = TokencostConf.load(f).with(TokencostConf.SWEEP_BATCHES, List.of(1, 16, 64));
        SweepJob.run(spark(), SweepJob.Run.of(SweepPlan.from(previous, cat), LocalDate.of(2026, 11, 19), wh, previous, source), quiet);
        TokencostConf conf = TokencostConf.load(f);
        LocalDate day = LocalDate.of(2026, 11, 26);
        SweepJob.Run sweep = SweepJob.Run.of(SweepPlan.from(conf, cat), day, wh, conf, source);
        SweepJob.run(spark(), sweep, quiet);
        LifecycleJob.run(spark(), LifecycleJob.Run.of(conf, cat, source, day, wh), quiet);
        ValidationJob.run(spark(), ValidationJob.Run.of(conf, cat, source, day, wh), quiet);

        report = dir.resolve("report");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        index = Report.write(spark(), wh, TestCatalogs.home().resolve("notebooks"),
                Map.of("run_id", sweep.runId(), "scenario", "llama-8b-batch-analytics"), report,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        log = out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyNotebookRanAndHasAPage() throws Exception {
        List<Notebook> notebooks = NotebookRunner.load(TestCatalogs.home().resolve("notebooks"));
        String html = Files.readString(index);
        for (Notebook nb : notebooks) {
            assertTrue(log.contains("notebook " + nb.name() + ":"), log);
            assertTrue(Files.size(report.resolve(nb.name() + ".html")) > 1000, nb.name());
            assertTrue(html.contains("href=\"" + nb.name() + ".html\""), nb.name());
        }
    }

    @Test
    void theReportReferencesOnlyFilesThatExist() throws Exception {
        Pattern ref = Pattern.compile("(?:href|src)=\"([^\"#]+)\"");
        int refs = 0;
        try (Stream<Path> pages = Files.list(report)) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".html")).toList()) {
                Matcher m = ref.matcher(Files.readString(page));
                while (m.find()) {
                    String target = m.group(1);
                    assertTrue(!target.contains("://"), page + " fetches " + target);
                    assertTrue(Files.isRegularFile(report.resolve(target)), page.getFileName() + " -> " + target);
                    refs++;
                }
            }
        }
        assertTrue(refs > 7 * 8, "pages link each other and their charts: " + refs);
    }

    @Test
    void chartsAreNonEmptyWellFormedSvgsThatDrawData() throws Exception {
        List<Path> charts;
        try (Stream<Path> s = Files.list(report.resolve("charts"))) {
            charts = s.sorted().toList();
        }
        assertTrue(charts.size() >= 15, charts.toString());
        int drawn = 0;
        for (Path c : charts) {
            String svg = Files.readString(c);
            assertEquals("svg", NotebookTest.xml(svg).getDocumentElement().getNodeName(), c.toString());
            assertTrue(!svg.contains("NaN") && !svg.contains("Infinity"), c.toString());
            if (!svg.contains("no rows to draw")) drawn++;
        }
        assertTrue(drawn >= charts.size() - 2, drawn + " of " + charts.size() + " charts have data");
        // the crossover notebook marks the crossover month, and the run-to-run notebook found the previous run
        assertTrue(Files.readString(report.resolve("05_inference_vs_training.html")).contains("<img src=\"charts/05_inference_vs_training-cell"));
        String runToRun = Files.readString(report.resolve("07_run_to_run.html"));
        // the previous run swept fewer batches: the conf changed, the catalogs and the code did not
        assertTrue(runToRun.contains("<td class=\"s\">true</td><td class=\"s\">false</td><td class=\"s\">false</td>")
                || runToRun.contains("<td>true</td><td>false</td><td>false</td>"), "conf_changed, catalogs_changed, code_changed");
        assertTrue(runToRun.contains("2026-11-19-"), "the previous run is found");
        // the validation page draws predicted vs measured against the y = x line
        assertTrue(Files.readString(report.resolve("08_engine_validation.html")).contains("<img src=\"charts/08_engine_validation-cell"));
        assertTrue(charts.stream().filter(c -> c.getFileName().toString().startsWith("08_")).anyMatch(c -> {
            try {
                String svg = Files.readString(c);
                return svg.contains("class=\"diagonal\"") && svg.contains("<circle");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }), "a predicted-vs-measured scatter with its diagonal");
    }

    @Test
    void aFailingCellNamesTheNotebookTheCellAndTheSparkError() throws Exception {
        Path bad = dir.resolve("bad-notebooks");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("broken.sql"), Notebook.HEADER + "\n-- MAGIC %md\n-- MAGIC # Broken\n-- MAGIC Does it fail?\n\n"
                + Notebook.SEPARATOR + "\n\nSELECT no_such_column FROM range(3)\n");
        Warehouse wh = Warehouse.at(dir.resolve("warehouse").toString(), dir);
        Path good = dir.resolve("good-notebooks");
        Files.createDirectories(good);
        Files.writeString(good.resolve("fine.sql"), Notebook.HEADER + "\n-- MAGIC %md\n-- MAGIC # Fine\n-- MAGIC Does it work?\n\n"
                + Notebook.SEPARATOR + "\n\nSELECT 1 AS one\n");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Path previous = Report.write(spark(), wh, good, "", dir.resolve("bad-report"), quiet);
        String before = Files.readString(previous);
        var e = assertThrows(NotebookRunner.CellFailedException.class, () -> Report.write(spark(), wh, bad, "", dir.resolve("bad-report"), quiet));
        assertTrue(e.getMessage().startsWith("notebook broken, cell 2 failed: ") && e.getMessage().contains("no_such_column"), e.getMessage());
        assertEquals(before, Files.readString(previous), "the previous report stays as it was");
        assertTrue(Files.exists(dir.resolve("bad-report/fine.html")) && !Files.exists(dir.resolve("bad-report/broken.html")));
        try (Stream<Path> beside = Files.list(dir)) {
            assertEquals(List.of(), beside.filter(p -> p.getFileName().toString().startsWith(".bad-report.")).toList(), "no staging left");
        }
    }
}
