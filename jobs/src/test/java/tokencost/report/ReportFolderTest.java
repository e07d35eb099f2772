package tokencost.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report folder is replaced whole: the new report is written beside it and moved in once complete, what a killed
 * writer left is put back or removed by the next one, and only a folder that holds a report may be replaced. (Killing a
 * real writer at each point: {@code FaultsAtEveryStageTest}.)
 */
class ReportFolderTest {
    @TempDir
    Path dir;

    /** The pid of a process that has ended (a killed writer). */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    static Path page(Path folder, String name, String text) throws Exception {
        Files.createDirectories(folder);
        return Files.writeString(folder.resolve(name), text);
    }

    @Test
    void theNewReportTakesThePlaceOfThePreviousOnlyWhenPublished() throws Exception {
        Path report = dir.resolve("report");
        page(report, "index.html", "previous");
        page(report, "style.css", "css");
        ReportFolder f = ReportFolder.replacing(report);
        page(f.staging(), "index.html", "new");
        assertEquals("previous", Files.readString(report.resolve("index.html")), "the previous report until the new one is complete");
        assertEquals(report.toAbsolutePath(), f.publish());
        assertEquals("new", Files.readString(report.resolve("index.html")));
        assertFalse(Files.exists(report.resolve("style.css")), "replaced whole");
        assertTrue(Files.exists(report.resolve(ReportFolder.MARKER)), "marked as tokencost's to replace");
        assertEquals(List.of("report"), names());

        ReportFolder discarded = ReportFolder.replacing(report);
        page(discarded.staging(), "index.html", "half");
        discarded.discard(); // a notebook failed
        assertEquals("new", Files.readString(report.resolve("index.html")));
        assertEquals(List.of("report"), names());
    }

    @Test
    void aWriterKilledBetweenItsRenamesLeavesThePreviousReportWhichTheNextPutsBack() throws Exception {
        Path report = dir.resolve("report");
        long dead = deadPid();
        page(dir.resolve(".report.old-" + dead + "-1"), "index.html", "previous");
        page(dir.resolve(".report.new-" + dead + "-1"), "index.html", "complete but not moved in");
        page(dir.resolve(".report.new-" + dead + "-2"), "index.html", "half");
        Path live = page(dir.resolve(".report.new-" + ProcessHandle.current().pid() + "-0"), "index.html", "another writer, alive");

        ReportFolder f = ReportFolder.replacing(report);
        assertEquals("previous", Files.readString(report.resolve("index.html")), "the previous report is back");
        assertTrue(Files.exists(live), "a live writer's staging folder is left alone");
        Files.delete(live);
        Files.delete(live.getParent());
        f.discard();
        assertEquals(List.of("report"), names(), "the dead writers' folders are gone");
    }

    @Test
    void onlyAFolderHoldingAReportIsReplaced() throws Exception {
        assertNull(ReportFolder.whyNotReplaceable(dir.resolve("new")), "absent");
        Files.createDirectories(dir.resolve("empty"));
        assertNull(ReportFolder.whyNotReplaceable(dir.resolve("empty")), "empty");
        Path earlier = dir.resolve("earlier"); // a report written before reports were marked
        page(earlier, "index.html", "");
        page(earlier, "style.css", "");
        page(earlier, "01_cost.html", "");
        page(earlier.resolve("charts"), "01_cost-cell5.svg", "");
        assertNull(ReportFolder.whyNotReplaceable(earlier), "an earlier report");
        Path marked = dir.resolve("marked");
        page(marked, ReportFolder.MARKER, "");
        page(marked, "anything.png", "");
        assertNull(ReportFolder.whyNotReplaceable(marked), "a report");

        Path mine = dir.resolve("mine");
        page(mine, "index.html", "");
        page(mine, "style.css", "");
        page(mine, "notes.txt", "my notes");
        assertEquals("is not a tokencost report (it holds notes.txt): the report replaces its folder whole, so give a new or "
                + "empty folder, or one holding a report", ReportFolder.whyNotReplaceable(mine));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ReportFolder.replacing(mine));
        assertTrue(e.getMessage().startsWith("the report folder " + mine + " is not a tokencost report"), e.getMessage());
        assertEquals("my notes", Files.readString(mine.resolve("notes.txt")), "untouched");
    }

    private List<String> names() throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
