package tokencost.tables;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import tokencost.spark.BuildInfo;

/**
 * The audit protocol every job follows, once: under its run id, put back the rows of runs that died, record
 * the run as running with the table versions before it, do the work, and record it succeeded — or, on any
 * failure, put this run's rows back as they were and record it failed with the error, then rethrow. The
 * tables must exist already ({@link DeltaTables#ensureAll}).
 */
public final class AuditedRun {
    private AuditedRun() {}

    /** Who the run is, as sweep_runs records it. */
    public record Identity(String runId, LocalDate runDate, String job, String confFile, String confHash, String catalogHash) {}

    /** The job's work: it fills in the rows written per table and the seconds per stage. */
    @FunctionalInterface
    public interface Work {
        void run(Map<String, Long> rows, Map<String, Double> stages) throws Exception;
    }

    /** What sweep_runs calls the code: tokencost, Spark and Delta versions. */
    public static String codeVersion(SparkSession spark) {
        return "tokencost " + BuildInfo.tokencostVersion() + " (Spark " + spark.version() + ", Delta " + BuildInfo.deltaVersion() + ")";
    }

    /** Runs {@code work} audited; returns the rows per table. {@code cells} is what sweep_runs records as the run's size. */
    public static Map<String, Long> run(DeltaTables tables, Identity id, long cells, PrintStream out, Work work) {
        long t0 = System.nanoTime();
        RunLog log = new RunLog(tables);
        for (String dead : log.recoverInterrupted(id.runId())) {
            out.println("  recovered interrupted run " + dead + ": its rows put back, marked failed");
        }
        Map<String, Long> before = tables.versions();
        before.remove(RunLog.TABLE);
        RunLog.Entry entry = new RunLog.Entry(id.runId(), id.runDate(), id.job(), "running", Instant.now(), null, id.confFile(),
                id.confHash(), id.catalogHash(), codeVersion(tables.spark()), cells, Map.of(), Map.of(), before, null);
        log.markInFlight(id.runId(), id.job());
        log.upsert(entry);
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, Double> stages = new LinkedHashMap<>();
        stages.put("prepare", (System.nanoTime() - t0) / 1e9);
        try {
            work.run(rows, stages);
            stages.putIfAbsent("total", (System.nanoTime() - t0) / 1e9);
            log.upsert(entry.finished("succeeded", cells, rows, stages, null));
            log.markFinished(id.runId(), id.job());
            return rows;
        } catch (Throwable failure) { // Spark and Delta throw Scala (checked) exceptions too
            out.println("  failed: " + failure.getMessage() + " — putting this run's rows back as they were before it");
            stages.put("total", (System.nanoTime() - t0) / 1e9);
            try {
                before.forEach((table, version) -> tables.restoreRun(table, id.runId(), version));
                log.upsert(entry.finished("failed", cells, rows, stages, String.valueOf(failure.getMessage())));
                log.markFinished(id.runId(), id.job());
            } catch (RuntimeException restoreFailed) {
                failure.addSuppressed(restoreFailed); // the original error stays the one reported
            }
            if (failure instanceof RuntimeException r) throw r;
            if (failure instanceof Error e) throw e;
            throw new IllegalStateException(id.job() + " " + id.runId() + " failed: " + failure.getMessage(), failure);
        }
    }
}
