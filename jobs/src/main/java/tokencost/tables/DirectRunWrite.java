package tokencost.tables;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.EqualTo;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.types.DataTypeUtils;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.Metadata;
import org.apache.spark.sql.delta.actions.SetTransaction;
import org.apache.spark.sql.delta.constraints.CheckDeltaInvariant;
import org.apache.spark.sql.delta.constraints.Constraints;
import org.apache.spark.sql.delta.constraints.DeltaInvariantCheckerExec;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Replaces one run's rows of a big table the direct way. Spark tasks write the rows as Parquet data files with the
 * table's own file format (the Spark Parquet writer a Delta write uses, same options), check every row against the
 * table's constraints with Delta's own checks (the contract's CHECKs, NOT NULL, and any a user added), and gather
 * each file's skipping statistics; the driver then commits the files in one Delta transaction that removes the run's
 * previous files and records the run's idempotency token — the same log a replaceWhere write leaves.
 *
 * <p>What it leaves out is the DataFrame machinery around a write, measured at ~45% of the grid's CPU: converting
 * each row from Java objects, projecting the partition column out of every row, and Delta's generic statistics
 * aggregation. A table whose protocol has features this path does not write (table features, column mapping,
 * generated or identity columns, deletion vectors, chosen statistics columns) is written through the DataFrame
 * writer instead, with the same rows.
 */
public final class DirectRunWrite {
    private DirectRunWrite() {}

    /** How values become rows of a table's data columns (without run_id); opened once per task. */
    public interface RowEncoder<T> extends Serializable {
        StructType dataSchema();

        /** A task's encoder; the row it returns is valid until its next call (it may be reused). */
        java.util.function.Function<T, InternalRow> open();
    }

    /** One table of a write: its name, how its values become rows, and the rows the plan expects (-1: not known). */
    public record Output<T>(String table, RowEncoder<T> rows, long expectedRows) implements Serializable {}

    /** Takes one table's values inside a task. */
    public interface Sink<T> {
        void add(T value);
    }

    /** The sinks of a task, one per output. */
    public interface Sinks {
        <T> Sink<T> sink(Output<T> output);

        /** Whether this pass keeps the output's values (a producer may skip computing values nobody keeps). */
        boolean wants(Output<?> output);
    }

    /**
     * The values of one Spark partition index for every output, produced a step at a time (a step: one slice of a
     * grid) so that memory per task does not grow with the grid.
     */
    @FunctionalInterface
    public interface Producer extends Serializable {
        java.util.Iterator<java.util.function.Consumer<Sinks>> steps(long partition);
    }

    /**
     * What was committed to a table: rows, files, bytes on disk; {@code notDirect} says why the DataFrame writer wrote
     * it instead (null when the direct path did).
     */
    public record Result(long rows, int files, long bytes, String notDirect) {
        public boolean direct() {
            return notDirect == null;
        }
    }

    /** One written data file, as a task reports it to the driver. */
    record WrittenFile(int output, String relativePath, long size, long modificationTime, long records, String statsJson)
            implements Serializable {}

    /**
     * Spark setting: whether the direct path writes its Parquet files with {@link LeanParquetWriter} (default true)
     * rather than through the Delta file format's own Spark writer (false). Both write the same files. (Not under
     * {@code spark.tokencost.}, which spark-submit turns into overrides of tokencost's own settings; a run sets it as
     * a top-level {@code spark.} key of its HOCON file.)
     */
    public static final String LEAN_PARQUET = "spark.tokencost-direct.lean-parquet-writer";

    private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9._-]+");

    /**
     * Writes the run's rows of every output's table in one pass ({@code partitions} Spark tasks, each producing
     * partition indices 0..n-1 through {@code producer}) and commits each table replacing the run's previous rows,
     * the tables side by side. An output whose expected row count differs from what the tasks wrote fails the write
     * before anything is committed. Returns what was committed per table, in the outputs' order.
     */
    public static Map<String, Result> replaceRuns(DeltaTables tables, String runId, int partitions, List<Output<?>> outputs,
                                                  Producer producer) {
        SparkSession spark = tables.spark();
        List<TableWrite> direct = new ArrayList<>();
        Map<Integer, String> notDirect = new LinkedHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            Output<?> o = outputs.get(i);
            DeltaLog log = DeltaLog.forTable(spark, tables.path(o.table()));
            Snapshot snapshot = log.update(false, scala.Option.empty(), scala.Option.empty());
            String why = unsupported(snapshot, o.rows().dataSchema(), runId);
            if (why != null) notDirect.put(i, why);
            else direct.add(TableWrite.of(spark, i, tables.path(o.table()), log, snapshot, o.rows().dataSchema()));
        }

        Map<String, Result> results = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Runnable> commits = new LinkedHashMap<>();
        if (!direct.isEmpty()) {
            Task task = new Task(runId, outputs, direct, producer, partitions, UUID.randomUUID().toString());
            List<WrittenFile> files = partitionIndices(spark, partitions).mapPartitions(task::run).collect();
            for (TableWrite w : direct) {
                Output<?> o = outputs.get(w.output());
                List<WrittenFile> mine = files.stream().filter(f -> f.output() == w.output()).toList();
                long rows = mine.stream().mapToLong(WrittenFile::records).sum();
                if (o.expectedRows() >= 0 && rows != o.expectedRows()) {
                    throw new IllegalStateException("table " + o.table() + ": the tasks wrote " + rows + " rows, the plan has "
                            + o.expectedRows() + "; nothing of this write is committed");
                }
                results.put(o.table(), new Result(rows, mine.size(), mine.stream().mapToLong(WrittenFile::size).sum(), null));
                commits.put(o.table(), () -> {
                    tokencost.spark.PausePoint.reached(o.table()); // the files are on disk, none of this table's committed
                    commit(tables, o.table(), runId, mine);
                });
            }
        }
        for (Map.Entry<Integer, String> nd : notDirect.entrySet()) {
            Output<?> o = outputs.get(nd.getKey());
            commits.put(o.table(), () -> results.put(o.table(), viaDataFrame(tables, runId, partitions, o, producer, nd.getValue())));
        }
        if (!direct.isEmpty()) tokencost.spark.PausePoint.reached(tokencost.spark.PausePoint.FILES_WRITTEN);
        tables.sideBySide(runId, commits);
        Map<String, Result> ordered = new LinkedHashMap<>();
        for (Output<?> o : outputs) ordered.put(o.table(), results.get(o.table()));
        return ordered;
    }

    /**
     * Replaces the run's row(s) whose {@code keyColumn} is {@code keyValue} with {@code row} (the table's columns, run_id
     * included), written and committed from the driver: no Spark job, so a run's first audit row does not pay for the
     * DataFrame writer's planning and code generation. A run's files are replaced only where their statistics show
     * they hold that key alone; where they cannot tell (a file holding several keys, no statistics), or where the table
     * is not one the direct path writes, Delta's replaceWhere writes it instead. Returns whether the direct path did.
     */
    public static boolean replaceKeyedRow(DeltaTables tables, String table, String runId, String keyColumn, String keyValue, Row row) {
        SparkSession spark = tables.spark();
        TableContract contract = tables.contract(table);
        MappedRows<Row> rows = MappedRows.of(table, () -> RowMapper.identity(TableContract.load(table)));
        String predicate = DeltaTables.RUN_ID + " = '" + runId.replace("'", "") + "' AND " + keyColumn + " = '" + keyValue.replace("'", "") + "'";
        DeltaLog log = DeltaLog.forTable(spark, tables.path(table));
        Snapshot snapshot = log.update(false, scala.Option.empty(), scala.Option.empty());
        String why = unsupported(snapshot, rows.dataSchema(), runId);
        Runnable viaReplaceWhere = () -> tables.replaceWhere(table, runId, predicate, spark.createDataFrame(List.of(row), contract.sparkSchema()));
        TableWrite w = why != null ? null : TableWrite.of(spark, 0, tables.path(table), log, snapshot, rows.dataSchema());
        if (w == null || !java.util.Arrays.asList(w.statsColumns().names()).contains(keyColumn)) {
            viaReplaceWhere.run();
            return false;
        }
        String writeId = UUID.randomUUID().toString();
        InternalRow partitionRow = new GenericInternalRow(new Object[] {UTF8String.fromString(runId)});
        WrittenFile file;
        TableSink<Row> sink;
        try {
            sink = new TableSink<>(new Output<>(table, rows, 1), w, attemptContext(w, writeId, 0, 0), partitionRow, 0, 0, writeId, runId);
            try {
                sink.add(row);
                file = sink.close();
            } catch (RuntimeException e) {
                sink.abort(e);
                throw e;
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        tokencost.spark.PausePoint.reached(table); // the file is on disk, not committed
        try {
            commit(tables, table, runId, List.of(file), predicate, old -> holdsOnly(old, keyColumn, keyValue));
            return true;
        } catch (Undecidable u) {
            sink.abort(u); // removes the uncommitted file
            viaReplaceWhere.run();
            return false;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Whether a file of the run holds rows of {@code key} only (true), none (false), or cannot tell (throws). */
    private static boolean holdsOnly(AddFile file, String keyColumn, String key) {
        try {
            var stats = file.stats() == null ? null : JSON.readTree(file.stats());
            var min = stats == null ? null : stats.at("/minValues/" + keyColumn);
            var max = stats == null ? null : stats.at("/maxValues/" + keyColumn);
            if (min == null || max == null || !min.isTextual() || !max.isTextual()) {
                throw new Undecidable(file.path() + " has no bounds of " + keyColumn);
            }
            if (min.asText().equals(key) && max.asText().equals(key)) return true;
            // Delta orders string bounds by their UTF-8 bytes (a truncated bound still bounds)
            UTF8String k = UTF8String.fromString(key);
            if (UTF8String.fromString(min.asText()).binaryCompare(k) > 0 || UTF8String.fromString(max.asText()).binaryCompare(k) < 0) {
                return false;
            }
            throw new Undecidable(file.path() + " holds " + keyColumn + " from " + min.asText() + " to " + max.asText());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Undecidable(file.path() + ": unreadable statistics");
        }
    }

    /** One table's part of a direct write: where and how its files are written, and the checks its rows must pass. */
    private record TableWrite(int output, String path, OutputWriterFactory factory, SerializableConfiguration conf,
                              List<CheckDeltaInvariant> checks, List<Attribute> attributes, FileStats.Columns statsColumns,
                              boolean lean) implements Serializable {
        static TableWrite of(SparkSession spark, int output, String path, DeltaLog log, Snapshot snapshot, StructType dataSchema) {
            Metadata metadata = snapshot.metadata();
            Job job;
            try {
                job = Job.getInstance(spark.sessionState().newHadoopConfWithOptions(metadata.configuration()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            var format = log.fileFormat(snapshot.protocol(), metadata);
            OutputWriterFactory factory = format
                    .prepareWrite(spark, job, scala.collection.immutable.Map$.MODULE$.empty(), dataSchema);
            List<Attribute> attributes = new ArrayList<>(CollectionConverters.asJava(DataTypeUtils.toAttributes(withRunId(dataSchema))));
            var checks = CollectionConverters.asJava(DeltaInvariantCheckerExec.buildInvariantChecks(
                    CollectionConverters.asScala(attributes).toSeq(), Constraints.getAll(metadata, spark), spark));
            // Spark's Parquet writer's files written by the lean writer where it writes them the same (see LeanParquetWriter)
            boolean lean = Boolean.parseBoolean(spark.conf().get(LEAN_PARQUET, "true"))
                    && format instanceof org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat
                    && LeanParquetWriter.unsupported(job.getConfiguration(), dataSchema) == null;
            return new TableWrite(output, path, factory, new SerializableConfiguration(job.getConfiguration()), new ArrayList<>(checks),
                    attributes, FileStats.Columns.first(dataSchema, numIndexedCols(metadata)), lean);
        }
    }

    /** Why the direct path cannot write this table (null when it can). */
    static String unsupported(Snapshot snapshot, StructType dataSchema, String runId) {
        var protocol = snapshot.protocol();
        var metadata = snapshot.metadata();
        if (snapshot.version() < 0) return "the table does not exist";
        if (protocol.minWriterVersion() > 3 || protocol.supportsWriterFeatures()) return "writer protocol " + protocol.minWriterVersion();
        var conf = CollectionConverters.asJava(metadata.configuration());
        if (conf.containsKey("delta.dataSkippingStatsColumns")) return "chosen statistics columns";
        if ("true".equalsIgnoreCase(conf.getOrDefault("delta.appendOnly", "false"))) return "append-only table";
        if (!CollectionConverters.asJava(metadata.partitionColumns()).equals(List.of(DeltaTables.RUN_ID))) return "not partitioned by run_id";
        if (!PLAIN_VALUE.matcher(runId).matches()) return "a run id that needs escaping in a path";
        StructType tableData = new StructType(java.util.Arrays.stream(metadata.schema().fields())
                .filter(f -> !f.name().equals(DeltaTables.RUN_ID)).toArray(StructField[]::new));
        if (tableData.length() != dataSchema.length()) return "the table's columns differ from the contract's";
        for (int i = 0; i < dataSchema.length(); i++) {
            StructField a = tableData.fields()[i];
            StructField b = dataSchema.fields()[i];
            // (column metadata such as comments is fine: writer protocol <= 3 rules out generated, identity and mapped columns)
            if (!a.name().equals(b.name()) || !a.dataType().equals(b.dataType())) {
                return "column " + a.name() + " differs from the contract's " + b.name();
            }
        }
        return null;
    }

    private static int numIndexedCols(Metadata metadata) {
        String v = CollectionConverters.asJava(metadata.configuration()).get("delta.dataSkippingNumIndexedCols");
        return v == null ? 32 : Integer.parseInt(v.trim());
    }

    private static StructType withRunId(StructType dataSchema) {
        return dataSchema.add(DeltaTables.RUN_ID, DataTypes.StringType, false);
    }

    /** The same rows through the DataFrame writer (tables the direct path does not handle): one more pass of the producer. */
    private static <T> Result viaDataFrame(DeltaTables tables, String runId, int partitions, Output<T> output, Producer producer,
                                           String why) {
        Dataset<Row> rows = dataFrame(tables.spark(), runId, partitions, output, producer);
        long n = output.expectedRows();
        long produced = n >= 0 ? rows.count() : n;
        if (produced != n) {
            throw new IllegalStateException("table " + output.table() + ": the tasks produced " + produced + " rows, the plan has "
                    + n + "; nothing of this write is committed");
        }
        tables.replaceRun(output.table(), runId, rows);
        return new Result(n, -1, -1, why);
    }

    /** One output's rows as a DataFrame of its table's columns (data columns, then run_id; select by name to reorder). */
    public static <T> Dataset<Row> dataFrame(SparkSession spark, String runId, int partitions, Output<T> output, Producer producer) {
        StructType schema = withRunId(output.rows().dataSchema());
        // The same row object is handed out again and again: the scan copies each into its own format at once.
        var rdd = partitionIndices(spark, partitions).mapPartitions(it -> {
            var encode = output.rows().open();
            InternalRow partitionRow = new GenericInternalRow(new Object[] {UTF8String.fromString(runId)});
            JoinedRow joined = new JoinedRow();
            java.util.ArrayDeque<T> buffer = new java.util.ArrayDeque<>();
            Sink<T> keep = buffer::add;
            Sinks onlyThis = sinksOf(Map.of(output.table(), keep));
            return new java.util.Iterator<InternalRow>() {
                java.util.Iterator<java.util.function.Consumer<Sinks>> steps = java.util.Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    while (buffer.isEmpty()) {
                        if (steps.hasNext()) steps.next().accept(onlyThis);
                        else if (it.hasNext()) steps = producer.steps(it.next());
                        else return false;
                    }
                    return true;
                }

                @Override
                public InternalRow next() {
                    if (!hasNext()) throw new java.util.NoSuchElementException();
                    return joined.apply(encode.apply(buffer.poll()), partitionRow);
                }
            };
        });
        return ((org.apache.spark.sql.classic.SparkSession) spark).internalCreateDataFrame(rdd.rdd(), schema, false);
    }

    /** Spark partitions 0..n-1, each holding its own index: a task per partition of the producer. */
    private static org.apache.spark.api.java.JavaRDD<Long> partitionIndices(SparkSession spark, int partitions) {
        List<Long> indices = new ArrayList<>();
        for (long p = 0; p < partitions; p++) indices.add(p);
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(indices, partitions);
    }

    /** Commits the written files replacing the run's partition, retried on conflicts with other writers. */
    private static void commit(DeltaTables tables, String table, String runId, List<WrittenFile> files) {
        commit(tables, table, runId, files, null, old -> true);
    }

    /**
     * Which of the run's files a commit replaces: true to remove the file; throws {@link Undecidable} when the file's
     * statistics cannot tell (the commit is then not made).
     */
    @FunctionalInterface
    private interface Replaced {
        boolean test(AddFile file);
    }

    /** A file's statistics cannot tell whether it holds rows a write replaces. */
    private static final class Undecidable extends RuntimeException {
        Undecidable(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Commits {@code files} to the run's partition, removing the run's files {@code replaced} picks, in one transaction
     * with the run's next idempotency token; {@code predicate} is what the log records as the replaced rows.
     */
    private static void commit(DeltaTables tables, String table, String runId, List<WrittenFile> files, String predicate,
                               Replaced replaced) {
        String appId = DeltaTables.txnAppId(runId);
        long txnVersion = tables.lastWriteOfRun(table, runId) + 1;
        tables.retryingConflicts(table, () -> {
            tables.requireTable(table); // a commit to a table deleted under the run would start a new, headless log
            DeltaLog log = DeltaLog.forTable(tables.spark(), tables.path(table));
            OptimisticTransaction txn = log.startTransaction();
            // this very write was committed already (a retried commit); read as txn.txnVersion does, without its Spark job
            txn.readTxn().$plus$eq(appId);
            if (DeltaTables.txnVersion(txn.snapshot(), appId) >= txnVersion) return;
            long now = System.currentTimeMillis();
            List<Action> actions = new ArrayList<>();
            for (AddFile old : readRunFiles(tables, table, txn, runId)) {
                if (replaced.test(old)) actions.add(old.removeWithTimestamp(now, true));
            }
            var partitionValues = scala.collection.immutable.Map$.MODULE$.<String, String>empty().updated(DeltaTables.RUN_ID, runId);
            for (WrittenFile f : files) {
                actions.add(RunFiles.addFile(f.relativePath(), partitionValues, f.size(), f.modificationTime(), true, f.statsJson()));
            }
            actions.add(new SetTransaction(appId, txnVersion, scala.Option.apply(now)));
            var w = DeltaOperations.Write$.MODULE$;
            var op = new DeltaOperations.Write(SaveMode.Overwrite,
                    scala.Option.apply(CollectionConverters.asScala(List.of(DeltaTables.RUN_ID)).toSeq()),
                    scala.Option.apply(predicate != null ? predicate : DeltaTables.RUN_ID + " = '" + runId + "'"), w.$lessinit$greater$default$4(),
                    w.$lessinit$greater$default$5(), w.$lessinit$greater$default$6(), w.$lessinit$greater$default$7(),
                    w.$lessinit$greater$default$8(), w.$lessinit$greater$default$9());
            txn.commit(CollectionConverters.asScala(actions).toSeq(), op);
        });
    }

    /**
     * A Spark task: the producer's steps in, for each table one data file and its statistics out. Everything it holds
     * travels to the executors.
     */
    private record Task(String runId, List<Output<?>> outputs, List<TableWrite> writes, Producer producer, int partitions,
                        String writeId) implements Serializable {

        java.util.Iterator<WrittenFile> run(java.util.Iterator<Long> indices) throws Exception {
            TaskContext tc = TaskContext.get();
            int taskIndex = tc.partitionId();
            Map<String, TableSink<?>> sinks = new HashMap<>();
            List<TableSink<?>> all = new ArrayList<>();
            InternalRow partitionRow = new GenericInternalRow(new Object[] {UTF8String.fromString(runId)});
            for (TableWrite w : writes) {
                TableSink<?> sink = new TableSink<>(outputs.get(w.output()), w, attemptContext(w, writeId, taskIndex, tc.attemptNumber()),
                        partitionRow, taskIndex, tc.attemptNumber(), writeId, runId);
                sinks.put(outputs.get(w.output()).table(), sink);
                all.add(sink);
            }
            Sinks lookup = sinksOf(sinks);
            List<WrittenFile> written = new ArrayList<>();
            try {
                while (indices.hasNext()) {
                    for (var steps = producer.steps(indices.next()); steps.hasNext(); ) steps.next().accept(lookup);
                }
                for (TableSink<?> s : all) {
                    WrittenFile f = s.close();
                    if (f != null) written.add(f);
                }
            } catch (Exception | Error e) {
                for (TableSink<?> s : all) s.abort(e);
                throw e;
            }
            return written.iterator();
        }
    }

    /** Sinks by table name: an output whose table has none is not wanted, and its values are dropped. */
    private static Sinks sinksOf(Map<String, ? extends Sink<?>> byTable) {
        return new Sinks() {
            @Override
            @SuppressWarnings("unchecked")
            public <U> Sink<U> sink(Output<U> o) {
                Sink<U> s = (Sink<U>) byTable.get(o.table());
                return s != null ? s : v -> { };
            }

            @Override
            public boolean wants(Output<?> o) {
                return byTable.containsKey(o.table());
            }
        };
    }

    /**
     * The run's live files at the transaction's version, listed by Delta Kernel (no Spark job), and recorded as read —
     * the run's partition and these files — the way {@code txn.filterFiles} records them, so that a concurrent commit
     * adding to or removing from the run's partition makes this transaction's commit conflict.
     */
    static List<AddFile> readRunFiles(DeltaTables tables, String table, OptimisticTransaction txn, String runId) {
        List<AddFile> files = RunFiles.at(tables.spark().sessionState().newHadoopConf(), tables.path(table), txn.snapshot().version(), runId);
        AttributeReference runIdColumn = (AttributeReference) DataTypeUtils.toAttributes(
                new StructType().add(DeltaTables.RUN_ID, DataTypes.StringType, false)).head();
        Expression thisRun = new EqualTo(runIdColumn, Literal.create(runId, DataTypes.StringType));
        txn.trackReadPredicates(CollectionConverters.asScala(List.of(thisRun)).toSeq(), true, true);
        txn.trackFilesRead(CollectionConverters.asScala(files).toSeq());
        return files;
    }

    /** The Hadoop task-attempt context a file writer needs (in a Spark task, or on the driver for a single row). */
    private static TaskAttemptContext attemptContext(TableWrite w, String writeId, int taskIndex, int attemptNumber) {
        Configuration hadoop = new Configuration(w.conf().value());
        JobID jobId = new JobID("tokencost-" + writeId.substring(0, 8), 0);
        TaskAttemptID attempt = new TaskAttemptID(new org.apache.hadoop.mapreduce.TaskID(jobId, TaskType.MAP, taskIndex), attemptNumber);
        hadoop.set("mapreduce.job.id", jobId.toString());
        hadoop.set("mapreduce.task.id", attempt.getTaskID().toString());
        hadoop.set("mapreduce.task.attempt.id", attempt.toString());
        hadoop.setBoolean("mapreduce.task.ismap", true);
        hadoop.setInt("mapreduce.task.partition", 0);
        return new TaskAttemptContextImpl(hadoop, attempt);
    }

    /** Something that may throw while a failure is being handled. */
    @FunctionalInterface
    private interface Cleanup {
        void run() throws Exception;
    }

    /** Runs a cleanup after {@code failure}; what it throws is kept as suppressed by that failure. */
    private static void suppressing(Throwable failure, Cleanup cleanup) {
        try {
            cleanup.run();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /** One table's file in one task: rows checked, written and counted into the file's statistics as they come. */
    private static final class TableSink<T> implements Sink<T> {
        private final TableWrite write;
        private final java.util.function.Function<T, InternalRow> encode;
        private final TaskAttemptContext context;
        private final InternalRow partitionRow;
        private final JoinedRow joined = new JoinedRow();
        private final UnsafeProjection assertions;
        private final boolean checking;
        private final FileStats stats;
        private final StructType dataSchema;
        private final String dir;
        private final String name;
        private final Path file;
        private final FileSystem fs;
        private OutputWriter writer;
        private LeanParquetWriter lean;

        TableSink(Output<T> output, TableWrite write, TaskAttemptContext context, InternalRow partitionRow, int taskIndex, int attempt,
                  String writeId, String runId) throws java.io.IOException {
            this.write = write;
            this.encode = output.rows().open();
            this.context = context;
            this.partitionRow = partitionRow;
            this.dataSchema = output.rows().dataSchema();
            // Delta's checks, compiled once per task; evaluating them on a row throws Delta's own violation error
            this.assertions = UnsafeProjection.create(
                    CollectionConverters.asScala(new ArrayList<Expression>(write.checks())).toSeq(),
                    CollectionConverters.asScala(write.attributes()).toSeq());
            this.checking = !write.checks().isEmpty();
            this.stats = new FileStats(write.statsColumns());
            this.dir = DeltaTables.RUN_ID + "=" + runId;
            this.name = String.format(java.util.Locale.ROOT, "part-%05d-%s-%d.c000%s", taskIndex, writeId, attempt,
                    write.factory().getFileExtension(context));
            this.file = new Path(new Path(write.path(), dir), name);
            this.fs = file.getFileSystem(context.getConfiguration());
        }

        @Override
        public void add(T value) {
            InternalRow row = encode.apply(value);
            if (checking) assertions.apply(joined.apply(row, partitionRow));
            if (write.lean()) {
                if (lean == null) lean = openLean();
                try {
                    lean.write(row);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            } else {
                if (writer == null) writer = write.factory().newInstance(file.toString(), dataSchema, context);
                writer.write(row);
            }
            stats.add(row);
        }

        private LeanParquetWriter openLean() {
            try {
                return new LeanParquetWriter(file.toString(), dataSchema, context);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** The file written, or null when the task had no rows for this table. */
        WrittenFile close() throws java.io.IOException {
            if (lean != null) {
                LeanParquetWriter done = lean;
                lean = null;
                done.close();
            } else if (writer != null) {
                OutputWriter done = writer;
                writer = null;
                done.close();
            } else {
                return null;
            }
            var status = fs.getFileStatus(file);
            return new WrittenFile(write.output(), dir + "/" + name, status.getLen(), status.getModificationTime(), stats.records(),
                    stats.json());
        }

        /** After a failure: the file closed and deleted, never left for a later commit to pick up. */
        void abort(Throwable failure) {
            LeanParquetWriter openLean = lean;
            OutputWriter openWriter = writer;
            lean = null;
            writer = null;
            if (openLean != null) suppressing(failure, openLean::abort);
            if (openWriter != null) suppressing(failure, openWriter::close);
            suppressing(failure, () -> fs.delete(file, false));
        }
    }
}
