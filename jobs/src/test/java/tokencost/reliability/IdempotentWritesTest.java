package tokencost.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Date;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;
import tokencost.lifecycle.LifecycleJob;
import tokencost.tables.DeltaTables;
import tokencost.tables.Warehouse;

/** A run's writes carry Delta's idempotency token: re-runs replace, and one write submitted twice lands once. */
class IdempotentWritesTest extends SparkTestBase {
    @TempDir
    Path dir;

    private Dataset<Row> fleet(DeltaTables t, String runId, int months) {
        List<Row> rows = new java.util.ArrayList<>();
        for (int m = 1; m <= months; m++) {
            rows.add(RowFactory.create(runId, "s1", m, "h100-sxm", Date.valueOf("2026-11-27"), 8.0, 0, "own", 0.0, 0.0, 10.0, 0.01));
        }
        return spark().createDataFrame(rows, t.contract(LifecycleJob.FLEET).sparkSchema());
    }

    @Test
    void reRunsReplaceAndAReplayedWriteIsAppliedOnce() {
        DeltaTables t = new DeltaTables(spark(), Warehouse.at(dir.resolve("wh").toString(), dir), List.of(LifecycleJob.FLEET));
        t.ensureAll();
        String a = "2026-11-27-aaaa";
        String b = "2026-11-28-bbbb";
        assertEquals(0, t.lastWriteOfRun(LifecycleJob.FLEET, a));
        t.replaceRun(LifecycleJob.FLEET, a, fleet(t, a, 3));
        t.replaceRun(LifecycleJob.FLEET, a, fleet(t, a, 5));
        t.replaceRun(LifecycleJob.FLEET, b, fleet(t, b, 2));
        assertEquals(2, t.lastWriteOfRun(LifecycleJob.FLEET, a));
        assertEquals(1, t.lastWriteOfRun(LifecycleJob.FLEET, b));
        assertEquals(5, t.read(LifecycleJob.FLEET).where("run_id = '" + a + "'").count(), "the re-run replaced, no duplicates");

        // The second write of run a submitted again (what a commit retried after it had in fact landed would do):
        // Delta sees the token it already holds and commits nothing.
        long version = t.version(LifecycleJob.FLEET);
        fleet(t, a, 5).write().format("delta").mode("overwrite").option("replaceWhere", "run_id = '" + a + "'")
                .option("txnAppId", DeltaTables.txnAppId(a)).option("txnVersion", "2").save(t.path(LifecycleJob.FLEET));
        fleet(t, a, 5).write().format("delta").mode("append")
                .option("txnAppId", DeltaTables.txnAppId(a)).option("txnVersion", "2").save(t.path(LifecycleJob.FLEET));
        assertEquals(version, t.version(LifecycleJob.FLEET), "a replayed write adds no version");
        assertEquals(7, t.read(LifecycleJob.FLEET).count(), "and no rows: 5 of run a, 2 of run b");
    }
}
