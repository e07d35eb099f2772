package tokencost.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.TestCatalogs;
import tokencost.tables.Warehouse;
import tokencost.tables.WarehouseLock;

/**
 * Every path the user gives is checked before anything starts or is created (one line per problem naming the
 * option, the path and the reason, exit 2), and no failure shows a stack trace.
 */
class PathChecksTest {
    @TempDir
    Path dir;

    @AfterEach
    void writableAgain() throws Exception {
        ReadOnlyFolders.restoreAll();
    }

    private static List<String> problems(PathChecks c) {
        return c.problems();
    }

    private static String only(PathChecks c) {
        List<String> ps = problems(c);
        assertEquals(1, ps.size(), ps::toString);
        return ps.get(0);
    }

    private PathChecks warehouse(String given) {
        return new PathChecks().warehouseToWrite("--warehouse", given, Warehouse.at(given, dir));
    }

    @Test
    void aFileWhereAFolderBelongs() throws Exception {
        Path file = Files.writeString(dir.resolve("passwd"), "root:x:0:0\n");
        assertEquals("--warehouse '" + file + "': is a file, not a folder", only(warehouse(file.toString())));
        assertEquals("--warehouse '" + file + "/wh': cannot be created: " + file + " is a file, not a folder",
                only(warehouse(file + "/wh")));
        assertEquals("--out '" + file + "': is a file, not a folder", only(new PathChecks().outputFolder("--out", file)));
        assertEquals("--datasets '" + file + "': is a file, not a folder", only(new PathChecks().inputFolder("--datasets", file)));
        assertEquals("--notebooks '" + file + "/nb': does not exist: " + file + " is a file, not a folder",
                only(new PathChecks().inputFolder("--notebooks", file.resolve("nb"))));
    }

    @Test
    void aFolderWhereAFileBelongs() {
        assertEquals("--conf '" + dir + "': is a folder, not a file", only(new PathChecks().inputFile("--conf", dir)));
    }

    @Test
    void missingInputs() {
        Path none = dir.resolve("none");
        assertEquals("--conf '" + none + "/x.conf': does not exist", only(new PathChecks().inputFile("--conf", none.resolve("x.conf"))));
        assertEquals("--datasets '" + none + "': does not exist", only(new PathChecks().inputFolder("--datasets", none)));
        assertEquals("--warehouse '" + none + "': does not exist (no tables to read: run tokencost sweep first)",
                only(new PathChecks().warehouseToRead("--warehouse", none.toString(), Warehouse.at(none.toString(), dir), true)));
        assertTrue(problems(new PathChecks().warehouseToRead("--warehouse", none.toString(), Warehouse.at(none.toString(), dir), false)).isEmpty(),
                "history and sql read a warehouse that does not exist yet");
    }

    @Test
    void aFolderThatCanBeCreatedIsFineAndNothingIsCreated() {
        Path deep = dir.resolve("a/b/c/wh");
        assertTrue(problems(warehouse(deep.toString())).isEmpty());
        assertTrue(problems(new PathChecks().outputFolder("--report", dir.resolve("r/s"))).isEmpty());
        assertFalse(Files.exists(dir.resolve("a")), "checking creates nothing");
        assertFalse(Files.exists(dir.resolve("r")));
    }

    @Test
    void aRelativeWarehouseNamesTheFolderItMeans() throws Exception {
        Files.writeString(dir.resolve("wh"), "");
        assertEquals("--warehouse 'wh' (" + dir.resolve("wh") + "): is a file, not a folder", only(warehouse("wh")));
    }

    @Test
    void readOnlyFolderAndAFolderUnderOne() throws Exception {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Assumptions.assumeTrue(ReadOnlyFolders.make(ro), "this machine cannot make a read-only folder");
        assertEquals("--warehouse '" + ro + "': is not writable (permission denied or a read-only file system)", only(warehouse(ro.toString())));
        assertEquals("--warehouse '" + ro + "/x/wh': does not exist and cannot be created: " + ro
                + " is not writable (permission denied or a read-only file system)", only(warehouse(ro + "/x/wh")));
        assertEquals("--scratch '" + ro + "': is not writable (permission denied or a read-only file system)",
                only(new PathChecks().outputFolder("--scratch", ro)));
    }

    @Test
    void brokenLinksAndALockThatIsAFolder() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("gone"));
        assertEquals("--warehouse '" + link + "': is a broken symbolic link", only(warehouse(link.toString())));
        assertEquals("--conf '" + link + "': is a broken symbolic link", only(new PathChecks().inputFile("--conf", link)));
        Path wh = Files.createDirectories(dir.resolve("wh"));
        Files.createDirectory(wh.resolve(WarehouseLock.FILE));
        assertEquals("--warehouse '" + wh + "': its writer lock " + wh.resolve(WarehouseLock.FILE) + " is a folder, not a file",
                only(warehouse(wh.toString())));
    }

    @Test
    void symbolicLinkLoopsSaySo() throws Exception {
        Path loop = Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
        Path a = Files.createSymbolicLink(dir.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(dir.resolve("b"), Path.of("a"));
        assertEquals("--warehouse '" + loop + "': is a symbolic link loop", only(warehouse(loop.toString())));
        assertEquals("--conf '" + a + "': is a symbolic link loop", only(new PathChecks().inputFile("--conf", a)));
        assertEquals("--datasets '" + loop + "': is a symbolic link loop", only(new PathChecks().inputFolder("--datasets", loop)));
        assertEquals("--report '" + loop + "/r': cannot be created: " + loop + " is a symbolic link loop",
                only(new PathChecks().outputFolder("--report", loop.resolve("r"))));
        assertEquals("--notebooks '" + a + "/nb': does not exist: " + a + " is a symbolic link loop",
                only(new PathChecks().inputFolder("--notebooks", a.resolve("nb"))));
        assertEquals("--warehouse '" + loop + "': is a symbolic link loop",
                only(new PathChecks().warehouseToRead("--warehouse", loop.toString(), Warehouse.at(loop.toString(), dir), false)));
    }

    @Test
    void anEmptyPathIsRefusedNotTakenForTheCurrentFolder() {
        String reason = "'': is empty: give a path (. for the current folder)";
        assertEquals("--warehouse " + reason, only(warehouse("")));
        assertEquals("--warehouse " + reason, only(new PathChecks().warehouseToRead("--warehouse", "", Warehouse.at("", dir), false)));
        assertEquals("--conf " + reason, only(new PathChecks().inputFile("--conf", Path.of(""))));
        assertEquals("--datasets " + reason, only(new PathChecks().inputFolder("--datasets", Path.of(""))));
        assertEquals("--report " + reason, only(new PathChecks().outputFolder("--report", Path.of(""))));
        for (String[] c : new String[][] {{"validate", "--datasets", ""}, {"history", "--warehouse", ""}, {"notebooks", "--out", ""},
                {"estimate", "--conf", "", "--model", "x", "--hardware", "y", "--workload", "chat"}, {"benchmark", "--scratch", ""}}) {
            var r = EstimateCommandTest.run(c);
            assertEquals(2, r.exit(), String.join(" ", c) + ": " + r.err());
            assertEquals("error: " + c[1] + " " + reason, r.err().strip(), String.join(" ", c));
        }
    }

    @Test
    void objectStoreWarehousesAreNotCheckedLocally() {
        assertTrue(problems(warehouse("s3a://bucket/tokencost/warehouse")).isEmpty());
    }

    @Test
    void theCommandLineReportsEveryBadPathOnOneLineEachExitTwoAndCreatesNothing() throws Exception {
        Path file = Files.writeString(dir.resolve("a file"), "x");
        var r = EstimateCommandTest.run("sweep", "--conf", dir.toString(), "--datasets", dir.resolve("missing").toString(),
                "--warehouse", file.resolve("wh").toString());
        assertEquals(2, r.exit(), r.err());
        assertEquals(List.of("error: --conf '" + dir + "': is a folder, not a file",
                "error: --datasets '" + dir.resolve("missing") + "': does not exist",
                "error: --warehouse '" + file + "/wh': cannot be created: " + file + " is a file, not a folder"), r.err().lines().toList());
        assertEquals("", r.out());

        var run = EstimateCommandTest.run("run", "--report", file.toString(), "--warehouse", dir.resolve("wh").toString());
        assertEquals(2, run.exit(), run.err());
        assertEquals("error: --report '" + file + "': is a file, not a folder", run.err().strip());
        assertFalse(Files.exists(dir.resolve("wh")), "nothing created");

        var nb = EstimateCommandTest.run("notebooks", "--warehouse", dir.resolve("nowhere").toString(), "--out", file.resolve("r").toString());
        assertEquals(2, nb.exit(), nb.err());
        assertEquals(2, nb.err().lines().count(), nb.err());
        for (String[] c : new String[][] {{"sql", "SELECT 1"}, {"history"}}) {
            String[] args = Stream.concat(Stream.of(c), Stream.of("--warehouse", file.toString())).toArray(String[]::new);
            var x = EstimateCommandTest.run(args);
            assertEquals(2, x.exit(), x.err());
            assertEquals("error: --warehouse '" + file + "': is a file, not a folder", x.err().strip());
        }
        var bench = EstimateCommandTest.run("benchmark", "--scratch", file.toString());
        assertEquals(2, bench.exit(), bench.err());
        assertEquals("error: --scratch '" + file + "': is a file, not a folder", bench.err().strip());
    }

    @Test
    void theConfsWarehouseIsCheckedLikeTheOption() throws Exception {
        Path file = Files.writeString(dir.resolve("wh-file"), "x");
        Path conf = Files.writeString(dir.resolve("wh.conf"), "\ntokencost.warehouse.path = \"" + file + "\"\n");
        var r = EstimateCommandTest.run("sweep", "--conf", conf.toString());
        assertEquals(2, r.exit(), r.err());
        assertEquals("error: tokencost.warehouse.path (" + conf + ":2) '" + file + "': is a file, not a folder", r.err().strip());
    }

    @Test
    void pathsWithSpacesAndUnicodeWork() throws Exception {
        Path home = Files.createDirectories(dir.resolve("mes données/日本 語"));
        Path datasets = TestCatalogs.copyDatasets(home.resolve("data sets"));
        Path conf = Files.writeString(home.resolve("my conf ü.conf"), "include required(\"base ü.conf\")\n", java.nio.charset.StandardCharsets.UTF_8);
        Files.writeString(home.resolve("base ü.conf"), "tokencost.engine.max-batch = 64\n", java.nio.charset.StandardCharsets.UTF_8);
        var r = EstimateCommandTest.run("validate", "--conf", conf.toString(), "--datasets", datasets.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("catalogs: ok"), r.out());
        assertTrue(problems(warehouse(home.resolve("ware house ü").toString())).isEmpty());
        var e = EstimateCommandTest.run("estimate", "--conf", conf.toString(), "--datasets", datasets.toString(), "--model", "llama-3.1-8b",
                "--hardware", "h100-sxm", "--workload", "chat", "--format", "json");
        assertEquals(0, e.exit(), e.err());
    }

    @Test
    void anUnexpectedFailureIsOneLineAndAFileWithTheTrace() throws Exception {
        StringWriter out = new StringWriter();
        int code = Main.failure(new NullPointerException("boom"), new PrintWriter(out, true), new String[] {"sweep", "--x"});
        assertEquals(3, code);
        List<String> lines = out.toString().lines().toList();
        assertEquals(1, lines.size(), out::toString);
        assertTrue(lines.get(0).startsWith("error: internal error (a bug in tokencost, not a problem with your input): "
                + "java.lang.NullPointerException: boom; full trace in "), lines.get(0));
        Path trace = Path.of(lines.get(0).substring(lines.get(0).indexOf("full trace in ") + "full trace in ".length()));
        try {
            String text = Files.readString(trace);
            assertTrue(text.contains("command: tokencost sweep --x"), text);
            assertTrue(text.contains("java.lang.NullPointerException: boom") && text.contains("\tat tokencost.cli.PathChecksTest"), text);
        } finally {
            Files.deleteIfExists(trace);
        }
        StringWriter err = new StringWriter();
        assertEquals(3, Main.failure(new StackOverflowError(), new PrintWriter(err, true), new String[0]));
        assertEquals(1, err.toString().lines().count(), err::toString);
        deleteTrace(err.toString());
    }

    @Test
    void exitCodesOfTheKnownFailures() {
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out, true);
        assertEquals(2, Main.failure(new IllegalArgumentException("--format must be table or json"), w, new String[0]));
        assertEquals(3, Main.failure(new IllegalStateException("another tokencost run holds the writer lock"), w, new String[0]));
        assertEquals(List.of("error: --format must be table or json", "error: another tokencost run holds the writer lock"),
                out.toString().lines().toList());
        StringWriter failed = new StringWriter();
        assertEquals(3, Main.failure(new IllegalStateException("sweep x failed: disk full", new java.io.IOException("disk full")),
                new PrintWriter(failed, true), new String[0]));
        List<String> lines = failed.toString().lines().toList();
        assertEquals("error: sweep x failed: disk full", lines.get(0));
        assertTrue(lines.get(1).startsWith("  full trace: "), failed.toString());
        deleteTrace(lines.get(1).substring("  full trace: ".length()));

        // a message of many lines (Spark's carry the task's stack trace): its first line, the rest in the trace file
        StringWriter spark = new StringWriter();
        assertEquals(3, Main.failure(new IllegalStateException("notebook x, cell 2 failed: [TASK_WRITE_FAILED] Task failed\n\tat a.b(C.java:1)"
                + "\nDriver stacktrace:"), new PrintWriter(spark, true), new String[0]));
        List<String> two = spark.toString().lines().toList();
        assertEquals(2, two.size(), spark::toString);
        assertEquals("error: notebook x, cell 2 failed: [TASK_WRITE_FAILED] Task failed", two.get(0));
        assertTrue(two.get(1).startsWith("  full trace: "), spark.toString());
        deleteTrace(two.get(1).substring("  full trace: ".length()));
    }

    @Test
    void theReportFolderMayHoldNothingButAReport() throws Exception {
        Path mine = dir.resolve("site");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("index.html"), "my site");
        assertEquals("--report '" + mine + "': is not a tokencost report (it holds index.html): the report replaces its folder whole, so "
                + "give a new or empty folder, or one holding a report", only(new PathChecks().reportFolder("--report", mine)));
        assertTrue(problems(new PathChecks().reportFolder("--out", dir.resolve("new/report"))).isEmpty());
        var r = EstimateCommandTest.run("notebooks", "--warehouse", dir.resolve("nowhere").toString(), "--out", mine.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("error: --out '" + mine + "': is not a tokencost report"), r.err());
        assertEquals("my site", Files.readString(mine.resolve("index.html")));
    }

    private static void deleteTrace(String text) {
        int i = text.indexOf("/tokencost-error-");
        if (i < 0) return;
        int start = text.lastIndexOf(' ', i) + 1;
        try {
            Files.deleteIfExists(Path.of(text.substring(start).strip()));
        } catch (Exception ignored) {
            // a temp file
        }
    }
}
