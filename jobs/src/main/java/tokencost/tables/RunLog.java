package tokencost.tables;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The audit table sweep_runs: one row per (run, job), upserted as the run starts ('running' with each
 * table's version before the run), ends ('succeeded') or fails ('failed'). A run killed mid-way stays
 * 'running'; the next run under the writer lock restores the tables it may have touched and marks it failed.
 */
public final class RunLog {
    public static final String TABLE = "sweep_runs";

    /** One run's audit row. */
    public record Entry(String runId, LocalDate runDate, String job, String status, Instant startedAt, Instant endedAt,
                        String confFile, String confHash, String catalogHash, String codeVersion, long cells,
                        Map<String, Long> rowsWritten, Map<String, Double> stageSeconds, Map<String, Long> versionsBefore,
                        String error) {

        public Entry finished(String newStatus, long newCells, Map<String, Long> rows, Map<String, Double> stages, String err) {
            return new Entry(runId, runDate, job, newStatus, startedAt, Instant.now(), confFile, confHash, catalogHash, codeVersion,
                    newCells, rows, stages, versionsBefore, err);
        }
    }

    private final DeltaTables tables;

    public RunLog(DeltaTables tables) {
        this.tables = tables;
    }

    public void upsert(Entry e) {
        // The run's one row replaces its previous row in one commit, written from the driver (no Spark job).
        DirectRunWrite.replaceKeyedRow(tables, TABLE, e.runId(), "job", e.job(), toRow(e));
    }

    /** The entry as a row of the table's columns. */
    static Row toRow(Entry e) {
        return RowFactory.create(e.runId(), Date.valueOf(e.runDate()), e.job(), e.status(), Timestamp.from(e.startedAt()),
                e.endedAt() == null ? null : Timestamp.from(e.endedAt()), e.confFile(), e.confHash(), e.catalogHash(),
                e.codeVersion(), e.cells(), e.rowsWritten(), e.stageSeconds(), e.versionsBefore(), e.error());
    }

    public List<Entry> withStatus(String status) {
        List<Entry> out = new ArrayList<>();
        for (Row r : tables.read(TABLE).where(org.apache.spark.sql.functions.col("status").equalTo(status)).collectAsList()) {
            out.add(fromRow(r));
        }
        return out;
    }

    public Entry get(String runId, String job) {
        List<Row> rows = tables.read(TABLE).where("run_id = '" + runId.replace("'", "") + "' AND job = '" + job + "'").collectAsList();
        return rows.isEmpty() ? null : fromRow(rows.get(0));
    }

    /**
     * Cleans up after runs left 'running' by a dead process: puts back their rows as they were before them and
     * marks them failed. Under the writer lock ({@link WarehouseLock#heldHere}) no other writer can be alive, so
     * every such run is dead; without it (an object store shared by a cluster) only a re-run of the same run id
     * may clean up its own earlier attempt. sweep_runs is read only when an in-flight marker says a run may not
     * have finished (a read of the table costs a few Spark jobs; a warehouse of older versions has no marker
     * folder and is read once).
     */
    public List<String> recoverInterrupted(String ownRunId) {
        boolean exclusive = WarehouseLock.heldHere(tables.warehouse());
        List<String> markers = markers();
        if (markers != null && markers.isEmpty()) return List.of();
        List<String> recovered = new ArrayList<>();
        for (Entry e : withStatus("running")) {
            if (!exclusive && !e.runId().equals(ownRunId)) continue;
            for (Map.Entry<String, Long> v : e.versionsBefore().entrySet()) {
                if (tables.names().contains(v.getKey()) && !v.getKey().equals(TABLE)) tables.restoreRun(v.getKey(), e.runId(), v.getValue());
            }
            upsert(e.finished("failed", e.cells(), e.rowsWritten(), e.stageSeconds(),
                    "interrupted: the process died before finishing; its rows were put back as they were before the run"));
            recovered.add(e.runId());
        }
        // markers of runs that are not running any more (died after their last row, or just recovered); without the
        // lock a marker may belong to a live run that has not written its row yet, so only our own are removed
        if (markers != null) {
            for (String m : markers) {
                if (exclusive || m.startsWith(marker(ownRunId, ""))) deleteMarker(m);
            }
        }
        return recovered;
    }

    /** The in-flight markers: one empty file per (run, job) between its 'running' row and its last row. */
    static final String MARKERS = "_tokencost_in_flight";

    private org.apache.hadoop.fs.Path markerDir() {
        return new org.apache.hadoop.fs.Path(tables.warehouse().root(), MARKERS);
    }

    private org.apache.hadoop.fs.FileSystem markerFs() throws java.io.IOException {
        return markerDir().getFileSystem(tables.spark().sessionState().newHadoopConf());
    }

    private static String marker(String runId, String job) {
        return runId.replaceAll("[^A-Za-z0-9._-]", "_") + "__" + job;
    }

    /** The marker names, or null when the warehouse has no marker folder yet (written by an older version). */
    private List<String> markers() {
        try {
            var dir = markerDir();
            var fs = markerFs();
            if (!fs.exists(dir)) return null;
            List<String> out = new ArrayList<>();
            for (var st : fs.listStatus(dir)) out.add(st.getPath().getName());
            return out;
        } catch (java.io.IOException e) {
            return null; // cannot tell: read the table
        }
    }

    /** Marks (run, job) in flight; called before its 'running' row is written. */
    public void markInFlight(String runId, String job) {
        try {
            var f = new org.apache.hadoop.fs.Path(markerDir(), marker(runId, job));
            markerFs().create(f, true).close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the in-flight marker under " + markerDir() + ": " + e.getMessage(), e);
        }
    }

    /** Clears the marker of (run, job); called after its last row (succeeded or failed) is written. */
    public void markFinished(String runId, String job) {
        deleteMarker(marker(runId, job));
    }

    private void deleteMarker(String name) {
        try {
            var f = new org.apache.hadoop.fs.Path(markerDir(), name);
            markerFs().delete(f, false);
        } catch (java.io.IOException e) {
            // a marker left behind only costs the next run one read of sweep_runs
        }
    }

    private static Entry fromRow(Row r) {
        return new Entry(r.getString(r.fieldIndex("run_id")), r.getDate(r.fieldIndex("run_date")).toLocalDate(),
                r.getString(r.fieldIndex("job")), r.getString(r.fieldIndex("status")),
                r.getTimestamp(r.fieldIndex("started_at")).toInstant(),
                r.isNullAt(r.fieldIndex("ended_at")) ? null : r.getTimestamp(r.fieldIndex("ended_at")).toInstant(),
                r.getString(r.fieldIndex("conf_file")), r.getString(r.fieldIndex("conf_hash")), r.getString(r.fieldIndex("catalog_hash")),
                r.getString(r.fieldIndex("code_version")), r.getLong(r.fieldIndex("cells")),
                new LinkedHashMap<>(r.<String, Long>getJavaMap(r.fieldIndex("rows_written"))),
                new LinkedHashMap<>(r.<String, Double>getJavaMap(r.fieldIndex("stage_seconds"))),
                new LinkedHashMap<>(r.<String, Long>getJavaMap(r.fieldIndex("table_versions_before"))),
                r.isNullAt(r.fieldIndex("error")) ? null : r.getString(r.fieldIndex("error")));
    }
}
