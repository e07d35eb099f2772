package tokencost.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;
import tokencost.tables.Warehouse;

/**
 * Headless Chromium draws a report page: a notebook of a few rows (a table and a bar chart of two series, no warehouse
 * needed) rendered by Report as the main job renders its notebooks, and screenshotted. The page is not blank and its
 * chart is drawn: both series' colours are on screen, not a broken image. The shipped notebooks on a real warehouse are
 * ReportTest's; this fixture costs seconds because failsafe's JVM pays for it alone. Skipped when no Chromium is
 * installed (.ci/run installs Debian's).
 */
@Tag("slow") // headless Chromium: run by failsafe (jobs/pom.xml)
class ReportInChromiumIT extends SparkTestBase {
    static final String NOTEBOOK = Notebook.HEADER + "\n-- MAGIC %md\n-- MAGIC # Cost per million tokens\n"
            + "-- MAGIC Two models on three accelerators: what a page holds, a table and a chart.\n\n" + Notebook.SEPARATOR + "\n\n"
            + "CREATE OR REPLACE TEMP VIEW costs AS SELECT * FROM VALUES ('h100-sxm', 'llama-3.1-8b', 0.066), ('h100-sxm', 'llama-3.1-70b', 0.41), "
            + "('mi300x', 'llama-3.1-8b', 0.071), ('mi300x', 'llama-3.1-70b', 0.38), ('a100-sxm-80gb', 'llama-3.1-8b', 0.12), "
            + "('a100-sxm-80gb', 'llama-3.1-70b', 0.83) AS t(hardware, model, cost_usd_per_mtok);\n\n"
            + "SELECT * FROM costs ORDER BY hardware, model\n\n" + Notebook.SEPARATOR + "\n\n"
            + "-- chart: bar x=hardware y=cost_usd_per_mtok series=model title=\"USD per million tokens\" ylabel=\"USD per million tokens\"\n"
            + "SELECT hardware, model, cost_usd_per_mtok FROM costs ORDER BY hardware, model\n";

    @TempDir
    static Path dir;
    static String chromium;
    static Path page;

    @BeforeAll
    static void aPageWithAChart() throws Exception {
        chromium = Stream.of("chromium", "chromium-browser", "google-chrome")
                .filter(c -> Stream.of(System.getenv("PATH").split(File.pathSeparator)).anyMatch(p -> Files.isExecutable(Path.of(p, c))))
                .findFirst().orElse(null);
        if (chromium == null) return; // the test says it skipped (an assumption failing here would hide it from the report)
        Path notebooks = Files.createDirectories(dir.resolve("notebooks"));
        Files.writeString(notebooks.resolve("costs.sql"), NOTEBOOK);
        Path report = dir.resolve("report");
        Report.write(spark(), Warehouse.at(dir.resolve("warehouse").toString(), dir), notebooks, "", report,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        page = report.resolve("costs.html");
        assertTrue(Files.readString(page).contains("<img src=\"charts/costs-cell"), "the page shows a chart");
    }

    @Test
    void headlessChromiumDrawsTheReportPageAndItsChart() throws Exception {
        Assumptions.assumeTrue(chromium != null, "no Chromium on PATH (.ci/run installs Debian's chromium when it can)");
        Path shot = dir.resolve("page.png");
        List<String> cmd = List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--window-size=1000,1000", "--screenshot=" + shot, page.toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "Chromium finished");
        // kept for a look after a failure
        Path keep = Files.createDirectories(Path.of("target", "chromium-it"));
        for (Path kept : List.of(shot, dir.resolve("chromium.log"))) {
            if (Files.exists(kept)) Files.copy(kept, keep.resolve(kept.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        BufferedImage img = ImageIO.read(shot.toFile());
        assertTrue(img != null && img.getWidth() >= 800, "a PNG screenshot: " + Files.readString(dir.resolve("chromium.log")));
        int first = Integer.parseInt(SvgChart.PALETTE[0].substring(1), 16), second = Integer.parseInt(SvgChart.PALETTE[1].substring(1), 16);
        Set<Integer> colours = new HashSet<>();
        long ink = 0, sampled = 0, firstBars = 0, secondBars = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                sampled++;
                if (rgb != 0xFFFFFF) ink++;
                if (near(rgb, first)) firstBars++;
                if (near(rgb, second)) secondBars++;
            }
        }
        double share = (double) ink / sampled;
        assertTrue(colours.size() > 50 && share > 0.02, "not blank: " + colours.size() + " colours, " + share + " of pixels drawn");
        assertTrue(firstBars > 100 && secondBars > 100, "the chart's bars are drawn: " + firstBars + " pixels of " + SvgChart.PALETTE[0]
                + ", " + secondBars + " of " + SvgChart.PALETTE[1]);
    }

    /** The same colour give or take rounding in the renderer. */
    static boolean near(int a, int b) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF)) > 6) return false;
        }
        return true;
    }
}
