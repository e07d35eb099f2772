package tokencost.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;
import tokencost.sweep.SweepRows;

/**
 * A table creation killed before its first commit leaves a _delta_log with no commit in it (Delta makes the folders
 * first): Delta takes it for a broken table, and every later run failed on it. The state is made here by hand, since
 * the window is inside Delta's commit, out of reach of a pause point.
 */
class InterruptedCreationTest extends SparkTestBase {
    @TempDir
    Path dir;

    /** What a creation killed before its commit's rename leaves. */
    static void abandonedCreation(DeltaTables t, String table) throws Exception {
        Path log = Path.of(t.path(table), "_delta_log");
        Files.createDirectories(log.resolve("_staged_commits"));
        Files.writeString(log.resolve(".00000000000000000000.json.5f1c.tmp"), "{\"commitInfo\":");
    }

    @Test
    void underTheWriterLockTheNextRunCreatesTheTableAgain() throws Exception {
        Warehouse wh = Warehouse.at(dir.resolve("wh").toString(), dir);
        DeltaTables t = new DeltaTables(spark(), wh, List.of(SweepRows.DIM_MODEL, RunLog.TABLE));
        abandonedCreation(t, SweepRows.DIM_MODEL);
        try (WarehouseLock lock = WarehouseLock.acquire(wh, "next", 10)) {
            t.ensureAll();
        }
        assertEquals(0, t.version(SweepRows.DIM_MODEL));
        assertEquals(List.of("run_id"), List.of(DeltaLogReader.read(Path.of(t.path(SweepRows.DIM_MODEL))).metadata.path("partitionColumns")
                .get(0).asText()), "created from its contract");
    }

    @Test
    void withoutTheLockItIsLeftAloneAndTheFailureSaysWhichTable() throws Exception {
        // a cluster: another run may be creating the table this very moment
        Warehouse wh = Warehouse.at(dir.resolve("cluster").toString(), dir);
        DeltaTables t = new DeltaTables(spark(), wh, List.of(SweepRows.DIM_MODEL));
        abandonedCreation(t, SweepRows.DIM_MODEL);
        IllegalStateException e = assertThrows(IllegalStateException.class, t::ensureAll);
        assertTrue(e.getMessage().startsWith("cannot create table dim_model at " + t.path(SweepRows.DIM_MODEL) + ": its _delta_log holds no commit"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(Files.exists(Path.of(t.path(SweepRows.DIM_MODEL), "_delta_log", "_staged_commits")), "left alone");
    }
}
