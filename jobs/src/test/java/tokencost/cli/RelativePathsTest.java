package tokencost.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.TestCatalogs;

/**
 * Relative paths mean what a shell means: relative to the current directory, on the command line and in the conf;
 * only the defaults that are part of the installation (conf/default.conf, notebooks/) come from the tokencost home.
 * In-process the current directory is the {@code user.dir} property (set here); a second JVM started in a folder shows
 * the same for real.
 */
class RelativePathsTest {
    @TempDir
    Path tmp;
    Path dir;
    String userDir;

    static final String SMALL = "tokencost.sweep { models = [llama-3.1-8b], hardware = [h100-sxm], workloads = [chat], devices = [1], "
            + "batches = [1], stacks = [fp8], stack-levers = [] }\ntokencost.lifecycle { scenarios = [llama-70b-code-flat], draws = 0 }\n";

    @BeforeEach
    void inAFolderWithSpaces() throws Exception {
        dir = Files.createDirectories(tmp.resolve("cwd é ü")).toRealPath();
        userDir = System.getProperty("user.dir");
    }

    @AfterEach
    void backWhereTheTestsRun() {
        System.setProperty("user.dir", userDir);
    }

    private EstimateCommandTest.Result inDir(String... args) {
        System.setProperty("user.dir", dir.toString());
        try {
            return EstimateCommandTest.run(args);
        } finally {
            System.setProperty("user.dir", userDir);
        }
    }

    @Test
    void commandLinePathsAreRelativeToTheCurrentDirectory() throws Exception {
        TestCatalogs.copyDatasets(dir.resolve("my data"));
        Files.writeString(dir.resolve("my.conf"), SMALL);
        var r = inDir("validate", "--conf", "my.conf", "--datasets", "my data", "--warehouse", "out/wh", "--report", "out/r");
        assertEquals(0, r.exit(), r.err());
        for (String part : List.of("conf " + dir.resolve("my.conf") + ": ok", "from " + dir.resolve("my data"),
                "warehouse " + dir.resolve("out/wh") + ", report " + dir.resolve("out/r"))) {
            assertTrue(r.out().contains(part), "expected '" + part + "' in:\n" + r.out());
        }
        assertFalse(Files.exists(dir.resolve("out")), "validate creates nothing");

        Files.writeString(dir.resolve("a file"), "x");
        var bad = inDir("validate", "--conf", "my.conf", "--datasets", "my data", "--warehouse", "a file", "--report", "../cwd é ü/a file/r");
        assertEquals(2, bad.exit(), bad.err());
        assertEquals(List.of("error: --warehouse 'a file' (" + dir.resolve("a file") + "): is a file, not a folder",
                "error: --report '../cwd é ü/a file/r' (" + dir.resolve("a file/r") + "): cannot be created: " + dir.resolve("a file")
                        + " is a file, not a folder"), bad.err().lines().toList());
    }

    @Test
    void theConfsOwnPathsAreRelativeToTheCurrentDirectoryToo() throws Exception {
        Path confs = Files.createDirectories(dir.resolve("confs"));
        TestCatalogs.copyDatasets(dir.resolve("catalogs"));
        Files.writeString(confs.resolve("job.conf"), SMALL + "tokencost.warehouse.path = \"tables\"\ntokencost.catalog.dir = \"catalogs\"\n");
        var r = inDir("validate", "--conf", "confs/job.conf", "--report", "r");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("from " + dir.resolve("catalogs")), "not confs/catalogs, nor the home's:\n" + r.out());
        assertTrue(r.out().contains("warehouse " + dir.resolve("tables")), r.out());
    }

    @Test
    void withoutAConfTheHomesDefaultConfIsReadAndItsPathsMeanTheCurrentDirectory() {
        var r = inDir("validate");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("conf " + TestCatalogs.home().resolve("conf/default.conf") + ": ok"), r.out());
        assertTrue(r.out().contains("notebooks: ok (8 in " + TestCatalogs.home().resolve("notebooks") + ")"), r.out());
        assertTrue(r.out().contains("paths: ok (warehouse " + dir.resolve("warehouse") + ", report " + dir.resolve("report") + ")"), r.out());
        assertTrue(r.out().contains("from datasets/ (bundled)"), "no datasets/ here: the catalogs of the application\n" + r.out());
    }

    /** The CLI in its own JVM started in {@code cwd}, as bin/tokencost runs it (which does not change directory). */
    private static String[] cli(Path cwd, String... args) throws Exception {
        List<String> cmd = tokencost.JavaCommand.with(System.getProperty("java.class.path"));
        cmd.addAll(List.of("-Dtokencost.home=" + TestCatalogs.home(), "tokencost.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI finished");
        return new String[] {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8)};
    }

    @Tag("slow") // a child JVM: run by failsafe (jobs/pom.xml)
    @Test
    void aProcessStartedInAFolderResolvesItsPathsThere() throws Exception {
        TestCatalogs.copyDatasets(dir.resolve("d"));
        Files.writeString(dir.resolve("c.conf"), SMALL);
        String[] r = cli(dir, "validate", "--conf", "c.conf", "--datasets", "d", "--warehouse", "w", "--report", "r");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("conf " + dir.resolve("c.conf") + ": ok"), r[1]);
        assertTrue(r[1].contains("from " + dir.resolve("d")), r[1]);
        assertTrue(r[1].contains("paths: ok (warehouse " + dir.resolve("w") + ", report " + dir.resolve("r") + ")"), r[1]);

        // the README's main command, from the checkout: ./warehouse and ./report of the checkout
        Path home = TestCatalogs.home();
        String[] fromHome = cli(home, "validate");
        assertEquals("0", fromHome[0], fromHome[1]);
        assertTrue(fromHome[1].contains("paths: ok (warehouse " + home.resolve("warehouse") + ", report " + home.resolve("report") + ")"), fromHome[1]);
        assertTrue(fromHome[1].contains("from " + home.resolve("datasets")), fromHome[1]);
    }
}
