package tokencost.tables;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The job's Delta tables under one warehouse: created from their contracts, written one run at a time
 * (a run's rows replace that run's rows atomically), and restorable to the version before a run.
 */
public final class DeltaTables {
    private final SparkSession spark;
    private final Warehouse warehouse;
    private final Map<String, TableContract> contracts = new LinkedHashMap<>();

    public DeltaTables(SparkSession spark, Warehouse warehouse, List<String> names) {
        this.spark = spark;
        this.warehouse = warehouse;
        for (String n : names) contracts.put(n, TableContract.load(n));
    }

    static final String RUN_ID = "run_id";
    private static final int CONFLICT_RETRIES = 5;

    public TableContract contract(String name) {
        TableContract c = contracts.get(name);
        if (c == null) throw new IllegalArgumentException("no table " + name);
        return c;
    }

    public String path(String name) {
        return warehouse.table(name);
    }

    private String ref(String name) {
        return "delta.`" + path(name) + "`";
    }

    /**
     * Creates every missing table with its columns, comments, properties and CHECK constraints in one statement;
     * existing tables are left alone but for constraints (or nullability) an older contract declared differently.
     * A table that exists costs one read of its Delta log, no SQL.
     */
    public void ensureAll() {
        for (TableContract c : contracts.values()) {
            if (snapshot(c.name()).version() >= 0) continue;
            // Statistics only on the leading key columns: the grid's wide numeric columns would cost ~20% write time.
            int statsColumns = c.primaryKey().size() + 1;
            StringBuilder checks = new StringBuilder();
            for (var check : c.checks().entrySet()) {
                checks.append(", ").append(TableContract.sqlString(constraintKey(check.getKey()))).append(" = ")
                        .append(TableContract.sqlString(check.getValue()));
            }
            // Partitioned by run: runs writing the same table at once touch disjoint partitions and do not conflict.
            // The constraints come with the table (a constraint added later costs a scan and a commit each).
            String ddl = "CREATE TABLE IF NOT EXISTS " + ref(c.name()) + " (\n  " + c.ddlColumns() + "\n) USING delta"
                    + (c.columns().contains(RUN_ID) ? " PARTITIONED BY (" + RUN_ID + ")" : "")
                    + " COMMENT " + TableContract.sqlString(c.doc())
                    + " TBLPROPERTIES ('delta.dataSkippingNumIndexedCols' = '" + statsColumns + "',"
                    + " 'delta.enableDeletionVectors' = 'false', 'delta.minReaderVersion' = '1', 'delta.minWriterVersion' = '2'"
                    + checks + ")";
            clearAbandonedCreation(c.name());
            try {
                retryingConflicts(c.name(), () -> {
                    spark.sql(ddl);
                    // CREATE TABLE IF NOT EXISTS does nothing where a _delta_log folder exists, even one with no commit in
                    // it: another run creating the table this moment (retried: its commit comes) or one that died first
                    if (snapshot(c.name()).version() < 0) throw new CreationInFlight();
                });
            } catch (Exception e) { // Delta's analysis errors are checked exceptions in Java's eyes
                String why = e instanceof CreationInFlight || e.getCause() instanceof CreationInFlight ? CreationInFlight.WHY : e.getMessage();
                throw new IllegalStateException("cannot create table " + c.name() + " at " + path(c.name()) + ": "
                        + AuditedRun.firstLine(why), e);
            }
            tokencost.spark.PausePoint.reached(tokencost.spark.PausePoint.TABLE_CREATION);
        }
        for (TableContract c : contracts.values()) retryingConflicts(c.name(), () -> addMissingChecks(c));
        if (!warehouse.database().isEmpty()) {
            spark.sql("CREATE DATABASE IF NOT EXISTS `" + warehouse.database() + "`");
            for (TableContract c : contracts.values()) {
                spark.sql("CREATE TABLE IF NOT EXISTS `" + warehouse.database() + "`.`" + c.name() + "` USING delta LOCATION "
                        + TableContract.sqlString(path(c.name())));
            }
        }
    }

    /** A table's _delta_log folder exists and holds no commit yet. */
    private static final class CreationInFlight extends IllegalStateException {
        static final String WHY = "its _delta_log holds no commit (what a creation that died before its first commit leaves, or "
                + "another run creating it this moment); a run holding a local warehouse's writer lock clears it, elsewhere remove "
                + "that _delta_log when no run is writing";

        CreationInFlight() {
            super(WHY);
        }
    }

    /**
     * A table folder whose _delta_log holds no commit is what a creation killed before its first commit leaves (Delta
     * makes the folders first): Delta takes it for a broken table and every later run would fail on it. Under the
     * writer lock nobody else can be creating the table, so the empty log is removed and the table created again;
     * without the lock (a cluster) another run may be creating it this moment, and it is left alone.
     */
    private void clearAbandonedCreation(String name) {
        if (!WarehouseLock.heldHere(warehouse)) return;
        try {
            var log = logPath(name);
            var fs = log.getFileSystem(spark.sessionState().newHadoopConf());
            if (!fs.exists(log)) return;
            for (var f : fs.listStatus(log)) {
                // a commit, a checkpoint or _last_checkpoint: a table (or what is left of one) that is not ours to clear
                if (f.getPath().getName().matches("\\d{20}\\..*|_last_checkpoint")) return;
            }
            fs.delete(log, true);
        } catch (java.io.IOException e) {
            // left as it is: the creation below names what is wrong
        }
    }

    private org.apache.hadoop.fs.Path logPath(String name) {
        return new org.apache.hadoop.fs.Path(path(name), "_delta_log");
    }

    /** Whether the table's Delta log is there (true when it cannot be told). */
    private boolean hasLog(String name) {
        try {
            var log = logPath(name);
            return log.getFileSystem(spark.sessionState().newHadoopConf()).exists(log);
        } catch (java.io.IOException e) {
            return true;
        }
    }

    /** The tables whose Delta log is gone: deleted or moved since {@link #ensureAll} found or created them. */
    public List<String> missing() {
        List<String> gone = new java.util.ArrayList<>();
        for (String n : contracts.keySet()) if (!hasLog(n)) gone.add(n);
        return gone;
    }

    /**
     * Fails when the table's Delta log is gone (the warehouse deleted or moved during the run): a write must never
     * create a table, which Delta's writer would do, without the contract's partitioning, constraints or comments.
     */
    void requireTable(String name) {
        if (!hasLog(name)) {
            throw new IllegalStateException("table " + name + " is gone: " + logPath(name) + " does not exist any more");
        }
    }

    /** Adds the contract's CHECK constraints the table lacks or has in an older form (tables of older versions too). */
    private void addMissingChecks(TableContract c) {
        var snapshot = snapshot(c.name());
        // a column an older contract declared NOT NULL and the current one allows null (e.g. min_devices)
        var schema = snapshot.metadata().schema();
        for (org.apache.spark.sql.types.StructField f : c.sparkSchema().fields()) {
            if (f.nullable() && schema.getFieldIndex(f.name()).isDefined() && !schema.apply(f.name()).nullable()) {
                spark.sql("ALTER TABLE " + ref(c.name()) + " ALTER COLUMN `" + f.name() + "` DROP NOT NULL");
            }
        }
        var stored = snapshot.metadata().configuration();
        for (var check : c.checks().entrySet()) {
            scala.Option<String> existing = stored.get(constraintKey(check.getKey()));
            if (matches(existing, check.getValue())) continue;
            // a constraint of an older contract is replaced by the current one
            if (existing.isDefined()) spark.sql("ALTER TABLE " + ref(c.name()) + " DROP CONSTRAINT IF EXISTS " + check.getKey());
            try {
                spark.sql("ALTER TABLE " + ref(c.name()) + " ADD CONSTRAINT " + check.getKey() + " CHECK (" + check.getValue() + ")");
            } catch (RuntimeException e) {
                // another run starting at the same moment may have added the same constraint first
                var now = snapshot(c.name()).metadata().configuration().get(constraintKey(check.getKey()));
                if (!matches(now, check.getValue())) throw e;
            }
        }
    }

    /** Where Delta keeps a CHECK constraint in the table's configuration. */
    private static String constraintKey(String constraint) {
        return "delta.constraints." + constraint.toLowerCase(java.util.Locale.ROOT);
    }

    private boolean matches(scala.Option<String> stored, String expression) {
        return stored.isDefined() && sameExpression(stored.get(), expression);
    }

    /**
     * Delta stores a constraint re-tokenised (spaces around every token, quotes added), so two texts are compared
     * as the expressions Spark parses them to: formatting differs, meaning does not.
     */
    public boolean sameExpression(String a, String b) {
        var parser = spark.sessionState().sqlParser();
        try {
            return parser.parseExpression(a).equals(parser.parseExpression(b));
        } catch (org.apache.spark.sql.catalyst.parser.ParseException e) {
            return false; // a stored text this Spark cannot parse is replaced by the contract's
        }
    }

    /** The table's latest snapshot, read from its Delta log. */
    private org.apache.spark.sql.delta.Snapshot snapshot(String name) {
        return org.apache.spark.sql.delta.DeltaLog.forTable(spark, path(name)).update(false, scala.Option.empty(), scala.Option.empty());
    }

    /** The latest committed version of a table (from the Delta log, no Spark job). */
    public long version(String name) {
        return snapshot(name).version();
    }

    public Map<String, Long> versions() {
        Map<String, Long> v = new LinkedHashMap<>();
        for (String n : contracts.keySet()) v.put(n, version(n));
        return v;
    }

    /**
     * Puts one run's rows of a table back as they were at a version (a new commit; time travel still shows what
     * happened). Only that run's partition is touched, so runs writing other partitions at the same time are safe.
     */
    public void restoreRun(String name, String runId, long version) {
        if (version(name) == version) return;
        Dataset<Row> before = spark.read().format("delta").option("versionAsOf", version).load(path(name))
                .where(org.apache.spark.sql.functions.col(RUN_ID).equalTo(runId));
        replaceRun(name, runId, before);
    }

    /**
     * Replaces the rows of one run with {@code rows} in one atomic commit: readers see the old rows or the new,
     * never a mix; re-running a run never duplicates it. Columns are taken in the contract's order.
     */
    public void replaceRun(String name, String runId, Dataset<Row> rows) {
        replaceWhere(name, runId, "run_id = '" + runId.replace("'", "") + "'", rows);
    }

    /**
     * Replaces the rows of run {@code runId} matching {@code predicate} with {@code rows}, atomically. Every write
     * carries Delta's idempotency token: txnAppId names the run, txnVersion is one more than that run's last write
     * to the table, fixed before the commit is tried. So each table's log records which run wrote each commit and
     * how many times, and one write submitted twice (a retried commit) is applied once.
     */
    void replaceWhere(String name, String runId, String predicate, Dataset<Row> rows) {
        TableContract c = contract(name);
        Dataset<Row> ordered = rows.select(c.columns().stream().map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new));
        String appId = txnAppId(runId);
        String txnVersion = Long.toString(lastWriteOfRun(name, runId) + 1);
        tokencost.spark.PausePoint.reached(name);
        requireTable(name);
        retryingConflicts(name, () -> ordered.write().format("delta").mode("overwrite").option("replaceWhere", predicate)
                .option("txnAppId", appId).option("txnVersion", txnVersion).save(path(name)));
    }

    /**
     * Runs one commit per table side by side (a small Delta write or commit is mostly fixed latency — planning, a job,
     * a commit — rather than work) and waits for all; the first failure is thrown with the others suppressed (each
     * table's commit is atomic either way).
     */
    public void sideBySide(String runId, Map<String, Runnable> commits) {
        if (commits.size() <= 1) {
            commits.values().forEach(Runnable::run);
            return;
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(commits.size(), r -> {
            Thread t = new Thread(r, "tokencost-write");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            commits.values().forEach(c -> futures.add(pool.submit(c)));
            RuntimeException first = null;
            for (var f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    if (first == null) first = cause;
                    else first.addSuppressed(cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while writing run " + runId, e);
                }
            }
            if (first != null) throw first;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The application id of a run's writes in Delta's transaction log (its idempotency token with a version). */
    public static String txnAppId(String runId) {
        return "tokencost/" + runId;
    }

    /** How many writes run {@code runId} has committed to a table (Delta's txn version for it; 0 for none). */
    public long lastWriteOfRun(String name, String runId) {
        return Math.max(0, txnVersion(snapshot(name), txnAppId(runId)));
    }

    /**
     * The version of {@code appId}'s last SetTransaction in a snapshot (-1 for none). Delta 4.4 answers
     * {@code Snapshot.transactions} from a state reconstruction — a Spark job per table version, seconds in a fresh
     * JVM — while the version's checksum file (written with every commit) lists the same SetTransactions. It is read
     * from there when the snapshot has one and no SetTransaction retention is set (which the checksum does not apply).
     */
    static long txnVersion(org.apache.spark.sql.delta.Snapshot snapshot, String appId) {
        if (snapshot.minSetTransactionRetentionTimestamp().isEmpty() && snapshot.checksumOpt().isDefined()
                && snapshot.checksumOpt().get().setTransactions().isDefined()) {
            for (var t : scala.jdk.javaapi.CollectionConverters.asJava(snapshot.checksumOpt().get().setTransactions().get())) {
                if (t.appId().equals(appId)) return t.version();
            }
            return -1;
        }
        scala.Option<Object> v = snapshot.transactions().get(appId);
        return v.isDefined() ? (Long) v.get() : -1;
    }

    void retryingConflicts(String name, Runnable commit) {
        for (int attempt = 1; ; attempt++) {
            try {
                commit.run();
                return;
            } catch (Exception e) { // Delta's analysis errors are checked exceptions in Java's eyes
                if (!isConflict(name, e)) throw DeltaTables.<RuntimeException>rethrow(e);
                if (attempt >= CONFLICT_RETRIES) {
                    throw new IllegalStateException("table " + name + ": " + CONFLICT_RETRIES + " commits in a row conflicted with "
                            + "other writers: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(200L * attempt + java.util.concurrent.ThreadLocalRandom.current().nextLong(200));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while retrying a commit to " + name, ie);
                }
            }
        }
    }

    /**
     * Another writer got there first: a commit conflict, or a table another run created between Delta's look at the
     * log and its check that the folder is empty (Delta reports a non-empty location; the folder has a _delta_log), or
     * one whose creation has made its _delta_log but not committed yet.
     */
    private boolean isConflict(String name, Exception e) {
        if (e instanceof io.delta.exceptions.DeltaConcurrentModificationException || e instanceof CreationInFlight) return true;
        if (!(e instanceof org.apache.spark.SparkThrowable st && "DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION".equals(st.getCondition()))) {
            return false;
        }
        try {
            return logPath(name).getFileSystem(spark.sessionState().newHadoopConf()).exists(logPath(name));
        } catch (java.io.IOException io) {
            return false;
        }
    }

    /** Rethrows any exception unchanged (Spark's and Delta's Scala exceptions are not declared). */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> E rethrow(Exception e) throws E {
        throw (E) e;
    }

    /** Whether the table has been created (a lifecycle run may find no sweep tables). */
    public boolean exists(String name) {
        return io.delta.tables.DeltaTable.isDeltaTable(spark, path(name));
    }

    public Dataset<Row> read(String name) {
        return spark.read().format("delta").load(path(name));
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    public SparkSession spark() {
        return spark;
    }

    public java.util.Set<String> names() {
        return contracts.keySet();
    }
}
