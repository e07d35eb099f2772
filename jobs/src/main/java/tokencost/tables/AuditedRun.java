package tokencost.tables;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
            // a full disk or a warehouse deleted under the run is said as such, in one line (not as a Spark task failure)
            StorageFailure storage = StorageFailure.of(failure, tables, id.job(), id.runId());
            Throwable reported = storage != null ? storage : failure;
            out.println("  failed: " + firstLine(reported.getMessage()) + " — putting this run's rows back as they were before it");
            stages.put("total", (System.nanoTime() - t0) / 1e9);
            // Every table is put back that can be (a full disk fails some restores too: Hadoop's FSError is an Error).
            // Only when all are back is the run recorded failed; otherwise it stays 'running' with its marker, and the
            // next run puts back the rest. The original error stays the one reported.
            List<Throwable> restoreFailures = new ArrayList<>();
            for (Map.Entry<String, Long> b : before.entrySet()) {
                try {
                    tables.restoreRun(b.getKey(), id.runId(), b.getValue());
                } catch (Throwable t) {
                    restoreFailures.add(t);
                }
            }
            try {
                if (restoreFailures.isEmpty()) {
                    log.upsert(entry.finished("failed", cells, rows, stages, String.valueOf(reported.getMessage())));
                    log.markFinished(id.runId(), id.job());
                }
            } catch (Throwable t) {
                restoreFailures.add(t);
            }
            restoreFailures.forEach(reported::addSuppressed);
            if (storage != null) throw storage;
            if (failure instanceof RuntimeException r) throw r;
            if (failure instanceof Error e) throw e;
            throw new IllegalStateException(id.job() + " " + id.runId() + " failed: " + firstLine(failure.getMessage()), failure);
        }
    }

    /** The first line of a message (Spark's carry the task's stack trace after it). */
    public static String firstLine(String message) {
        String m = String.valueOf(message).strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
