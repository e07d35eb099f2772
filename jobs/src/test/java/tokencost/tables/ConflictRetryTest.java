package tokencost.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;

/**
 * Which failures of a commit are another writer's doing (retried) and which are not (thrown at once). The
 * create race (seen in CI: two runs creating sweep_runs at once) is too narrow to provoke, so the commits here
 * throw Delta's own exceptions against real table folders.
 */
class ConflictRetryTest extends SparkTestBase {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static <E extends Exception> void sneaky(Throwable t) throws E {
        throw (E) t;
    }

    private static Runnable failingTimes(int n, Throwable failure, AtomicInteger calls) {
        return () -> {
            if (calls.incrementAndGet() <= n) sneaky(failure);
        };
    }

    @Test
    void aTableCreatedMeanwhileIsRetriedAForeignFolderIsNot() throws Exception {
        DeltaTables t = new DeltaTables(spark(), Warehouse.at(dir.resolve("wh").toString(), dir), List.of(RunLog.TABLE));
        Throwable nonEmpty = org.apache.spark.sql.delta.DeltaErrors.createTableWithNonEmptyLocation("sweep_runs", t.path(RunLog.TABLE));

        // another run's table is there now (its _delta_log exists): the create is tried again and succeeds
        t.ensureAll();
        AtomicInteger calls = new AtomicInteger();
        t.retryingConflicts(RunLog.TABLE, failingTimes(1, nonEmpty, calls));
        assertEquals(2, calls.get());

        // a folder of other files, no _delta_log: the user's mistake, reported at once and unchanged
        DeltaTables foreign = new DeltaTables(spark(), Warehouse.at(dir.resolve("foreign").toString(), dir), List.of(RunLog.TABLE));
        Files.createDirectories(Path.of(foreign.path(RunLog.TABLE)));
        Files.writeString(Path.of(foreign.path(RunLog.TABLE), "notes.txt"), "not a table");
        AtomicInteger once = new AtomicInteger();
        Throwable thrown = assertThrows(Throwable.class, () -> foreign.retryingConflicts(RunLog.TABLE, failingTimes(1, nonEmpty, once)));
        assertSame(nonEmpty, thrown);
        assertEquals(1, once.get());

        // commit conflicts are retried up to the limit, then named
        Throwable conflict = new io.delta.exceptions.ConcurrentAppendException("another run appended");
        AtomicInteger many = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.retryingConflicts(RunLog.TABLE, failingTimes(99, conflict, many)));
        assertEquals(5, many.get());
        assertTrue(e.getMessage().contains("conflicted with other writers"), e.getMessage());
    }
}
