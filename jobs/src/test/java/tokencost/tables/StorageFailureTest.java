package tokencost.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;
import tokencost.sweep.SweepRows;

/**
 * A full disk and a deleted warehouse are told apart from tokencost's own failures, wherever Spark and Hadoop put the
 * operating system's words (a task's cause, an Error, a suppressed restore); a write never creates a table that is gone.
 * (With a real full disk and a real deletion: {@code FaultsAtEveryStageTest}.)
 */
class StorageFailureTest extends SparkTestBase {
    @TempDir
    Path dir;

    @Test
    void aFullDiskIsFoundInCausesAndSuppressedFailures() {
        Throwable task = new IllegalStateException("Job aborted due to stage failure: Task 0 in stage 9.0 failed 1 times\n\tat x",
                new RuntimeException("Unable to close resource", new Error(new IOException("No space left on device")) /* as Hadoop's FSError wraps it */));
        assertEquals("No space left on device", StorageFailure.fullDisk(task));
        Throwable restore = new IllegalStateException("summaries failed");
        restore.addSuppressed(new IOException("write failed: Disk quota exceeded"));
        assertEquals("Disk quota exceeded", StorageFailure.fullDisk(restore));
        Throwable a = new IllegalStateException("a");
        Throwable b = new IllegalStateException("b");
        a.addSuppressed(b);
        b.addSuppressed(a); // failures that carry each other end the search too
        assertNull(StorageFailure.fullDisk(a));
    }

    @Test
    void aWarehouseDeletedUnderTheRunIsSaidAsSuchAndNoWriteCreatesATable() throws IOException {
        Warehouse wh = Warehouse.at(dir.resolve("wh").toString(), dir);
        DeltaTables t = new DeltaTables(spark(), wh, List.of(SweepRows.DIM_MODEL, RunLog.TABLE));
        t.ensureAll();
        assertNull(StorageFailure.of(new IllegalStateException("a bug"), t, "sweep", "r1"), "the tables are there: not the storage");
        deleteTree(Path.of(t.path(SweepRows.DIM_MODEL)));
        StorageFailure f = StorageFailure.of(new IllegalStateException("File does not exist"), t, "sweep", "r1");
        assertEquals("sweep r1 failed: table dim_model of the warehouse " + wh.root() + " was deleted or moved while the run wrote it; "
                + "nothing of this run is published, and the next run creates the missing tables again", f.getMessage());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.replaceRun(SweepRows.DIM_MODEL, "r1",
                spark().createDataFrame(List.of(), t.contract(SweepRows.DIM_MODEL).sparkSchema())));
        assertTrue(e.getMessage().startsWith("table dim_model is gone"), e.getMessage());
        assertTrue(!java.nio.file.Files.exists(Path.of(t.path(SweepRows.DIM_MODEL))), "not created by the write");
    }

    static void deleteTree(Path root) throws IOException {
        try (var all = java.nio.file.Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.delete(p);
        }
    }
}
