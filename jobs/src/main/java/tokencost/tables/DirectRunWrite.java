package tokencost.tables;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
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

    /** The values of one Spark partition index, produced lazily (memory per task must not grow with the grid). */
    @FunctionalInterface
    public interface Producer<T> extends Serializable {
        java.util.Iterator<T> values(long partition);
    }

    /**
     * What was committed: rows, files, bytes on disk; {@code notDirect} says why the DataFrame writer wrote it instead
     * (null when the direct path did).
     */
    public record Result(long rows, int files, long bytes, String notDirect) {
        public boolean direct() {
            return notDirect == null;
        }
    }

    /** One written data file, as a task reports it to the driver. */
    record WrittenFile(String relativePath, long size, long modificationTime, long records, String statsJson) implements Serializable {}

    private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9._-]+");

    /**
     * Writes the run's rows of {@code table} ({@code partitions} Spark tasks, each producing partition indices 0..n-1
     * through {@code producer}) and commits them replacing the run's previous rows. When {@code expectedRows >= 0} a
     * different written count fails the write before the commit.
     */
    public static <T> Result replaceRun(DeltaTables tables, String table, String runId, int partitions, TypedRowMapper<T> mapper,
                                        Producer<T> producer, long expectedRows) {
        SparkSession spark = tables.spark();
        String path = tables.path(table);
        DeltaLog log = DeltaLog.forTable(spark, path);
        Snapshot snapshot = log.update(false, scala.Option.empty(), scala.Option.empty());
        String why = unsupported(snapshot, mapper.dataSchema(), runId);
        if (why != null) return viaDataFrame(tables, table, runId, partitions, mapper, producer, expectedRows, why);

        Metadata metadata = snapshot.metadata();
        StructType dataSchema = mapper.dataSchema();
        Job job;
        try {
            job = Job.getInstance(spark.sessionState().newHadoopConfWithOptions(metadata.configuration()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        OutputWriterFactory factory = log.fileFormat(snapshot.protocol(), metadata)
                .prepareWrite(spark, job, scala.collection.immutable.Map$.MODULE$.empty(), dataSchema);
        List<Attribute> attributes = new ArrayList<>(CollectionConverters.asJava(DataTypeUtils.toAttributes(withRunId(dataSchema))));
        var checks = CollectionConverters.asJava(DeltaInvariantCheckerExec.buildInvariantChecks(
                CollectionConverters.asScala(attributes).toSeq(), Constraints.getAll(metadata, spark), spark));
        Task<T> task = new Task<>(path, runId, mapper, producer, factory, new SerializableConfiguration(job.getConfiguration()),
                new ArrayList<>(checks), attributes,
                FileStats.Columns.first(dataSchema, numIndexedCols(metadata)), partitions, UUID.randomUUID().toString());

        List<WrittenFile> files = partitionIndices(spark, partitions).mapPartitions(task::run).collect();

        long rows = files.stream().mapToLong(WrittenFile::records).sum();
        long bytes = files.stream().mapToLong(WrittenFile::size).sum();
        if (expectedRows >= 0 && rows != expectedRows) {
            throw new IllegalStateException("table " + table + ": the tasks wrote " + rows + " rows, the plan has " + expectedRows
                    + "; nothing of this write is committed");
        }
        tokencost.spark.PausePoint.reached(table); // the files are on disk, none is committed
        commit(tables, table, runId, files);
        return new Result(rows, files.size(), bytes, null);
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

    /** The same rows through the DataFrame writer (tables the direct path does not handle). */
    private static <T> Result viaDataFrame(DeltaTables tables, String table, String runId, int partitions, TypedRowMapper<T> mapper,
                                           Producer<T> producer, long expectedRows, String why) {
        Dataset<Row> rows = dataFrame(tables.spark(), runId, partitions, mapper, producer);
        if (expectedRows >= 0) {
            long n = rows.count();
            if (n != expectedRows) {
                throw new IllegalStateException("table " + table + ": the tasks produced " + n + " rows, the plan has " + expectedRows
                        + "; nothing of this write is committed");
            }
        }
        tables.replaceRun(table, runId, rows);
        return new Result(expectedRows, -1, -1, why);
    }

    /** The rows as a DataFrame of the table's columns (data columns, then run_id; select by name to reorder). */
    public static <T> Dataset<Row> dataFrame(SparkSession spark, String runId, int partitions, TypedRowMapper<T> mapper, Producer<T> producer) {
        StructType schema = withRunId(mapper.dataSchema());
        // The same row object is handed out again and again: the scan copies each into its own format at once.
        var rdd = partitionIndices(spark, partitions).mapPartitions(it -> {
            var filler = mapper.filler();
            InternalRow partitionRow = new GenericInternalRow(new Object[] {UTF8String.fromString(runId)});
            JoinedRow joined = new JoinedRow();
            return new java.util.Iterator<InternalRow>() {
                java.util.Iterator<T> values = java.util.Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    while (!values.hasNext()) {
                        if (!it.hasNext()) return false;
                        values = producer.values(it.next());
                    }
                    return true;
                }

                @Override
                public InternalRow next() {
                    if (!hasNext()) throw new java.util.NoSuchElementException();
                    return joined.apply(filler.fill(values.next()), partitionRow);
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
        String appId = DeltaTables.txnAppId(runId);
        long txnVersion = tables.lastWriteOfRun(table, runId) + 1;
        tables.retryingConflicts(table, () -> {
            tables.requireTable(table); // a commit to a table deleted under the run would start a new, headless log
            DeltaLog log = DeltaLog.forTable(tables.spark(), tables.path(table));
            OptimisticTransaction txn = log.startTransaction();
            if (txn.txnVersion(appId) >= txnVersion) return; // this very write was committed already (a retried commit)
            long now = System.currentTimeMillis();
            AttributeReference runIdColumn = (AttributeReference) DataTypeUtils.toAttributes(
                    new StructType().add(DeltaTables.RUN_ID, DataTypes.StringType, false)).head();
            Expression thisRun = new EqualTo(runIdColumn, Literal.create(runId, DataTypes.StringType));
            List<Action> actions = new ArrayList<>();
            for (AddFile old : CollectionConverters.asJava(txn.filterFiles(CollectionConverters.asScala(List.of(thisRun)).toSeq(), false))) {
                actions.add(old.removeWithTimestamp(now, true));
            }
            var partitionValues = scala.collection.immutable.Map$.MODULE$.<String, String>empty().updated(DeltaTables.RUN_ID, runId);
            var af = org.apache.spark.sql.delta.actions.AddFile$.MODULE$;
            for (WrittenFile f : files) {
                actions.add(new AddFile(f.relativePath(), partitionValues, f.size(), f.modificationTime(), true, f.statsJson(),
                        af.apply$default$7(), af.apply$default$8(), af.apply$default$9(), af.apply$default$10(), af.apply$default$11(),
                        af.apply$default$12(), af.apply$default$13()));
            }
            actions.add(new SetTransaction(appId, txnVersion, scala.Option.apply(now)));
            var w = DeltaOperations.Write$.MODULE$;
            var op = new DeltaOperations.Write(SaveMode.Overwrite,
                    scala.Option.apply(CollectionConverters.asScala(List.of(DeltaTables.RUN_ID)).toSeq()),
                    scala.Option.apply(DeltaTables.RUN_ID + " = '" + runId + "'"), w.$lessinit$greater$default$4(),
                    w.$lessinit$greater$default$5(), w.$lessinit$greater$default$6(), w.$lessinit$greater$default$7(),
                    w.$lessinit$greater$default$8(), w.$lessinit$greater$default$9());
            txn.commit(CollectionConverters.asScala(actions).toSeq(), op);
        });
    }

    /** A Spark task: rows in, data files and their statistics out. Everything it holds travels to the executors. */
    private record Task<T>(String tablePath, String runId, TypedRowMapper<T> mapper, Producer<T> producer, OutputWriterFactory factory,
                           SerializableConfiguration conf, List<CheckDeltaInvariant> checks, List<Attribute> attributes,
                           FileStats.Columns statsColumns, int partitions, String writeId) implements Serializable {

        java.util.Iterator<WrittenFile> run(java.util.Iterator<Long> indices) throws Exception {
            TaskContext tc = TaskContext.get();
            int taskIndex = tc.partitionId();
            Configuration hadoop = new Configuration(conf.value());
            JobID jobId = new JobID("tokencost-" + writeId.substring(0, 8), 0);
            TaskAttemptID attempt = new TaskAttemptID(new org.apache.hadoop.mapreduce.TaskID(jobId, TaskType.MAP, taskIndex),
                    tc.attemptNumber());
            hadoop.set("mapreduce.job.id", jobId.toString());
            hadoop.set("mapreduce.task.id", attempt.getTaskID().toString());
            hadoop.set("mapreduce.task.attempt.id", attempt.toString());
            hadoop.setBoolean("mapreduce.task.ismap", true);
            hadoop.setInt("mapreduce.task.partition", 0);
            TaskAttemptContext context = new TaskAttemptContextImpl(hadoop, attempt);

            // Delta's checks, compiled once per task; evaluating them on a row throws Delta's own violation error
            UnsafeProjection assertions = UnsafeProjection.create(
                    CollectionConverters.asScala(new ArrayList<Expression>(checks)).toSeq(),
                    CollectionConverters.asScala(attributes).toSeq());
            InternalRow partitionRow = new GenericInternalRow(new Object[] {UTF8String.fromString(runId)});
            JoinedRow joined = new JoinedRow();
            var filler = mapper.filler();
            String dir = DeltaTables.RUN_ID + "=" + runId;
            String name = String.format(java.util.Locale.ROOT, "part-%05d-%s-%d.c000%s", taskIndex, writeId, tc.attemptNumber(),
                    factory.getFileExtension(context));
            Path file = new Path(new Path(tablePath, dir), name);
            FileSystem fs = file.getFileSystem(hadoop);
            OutputWriter writer = null;
            FileStats stats = new FileStats(statsColumns);
            boolean checking = !checks.isEmpty();
            try {
                while (indices.hasNext()) {
                    for (java.util.Iterator<T> values = producer.values(indices.next()); values.hasNext(); ) {
                        InternalRow row = filler.fill(values.next());
                        if (checking) assertions.apply(joined.apply(row, partitionRow));
                        if (writer == null) writer = factory.newInstance(file.toString(), mapper.dataSchema(), context);
                        writer.write(row);
                        stats.add(row);
                    }
                }
                if (writer == null) return java.util.Collections.emptyIterator();
                OutputWriter done = writer;
                writer = null;
                done.close();
            } catch (Exception | Error e) {
                if (writer != null) {
                    try {
                        writer.close();
                    } catch (Exception closing) {
                        e.addSuppressed(closing);
                    }
                }
                fs.delete(file, false); // never left for a later commit to pick up; uncommitted files are garbage anyway
                throw e;
            }
            var status = fs.getFileStatus(file);
            return List.of(new WrittenFile(dir + "/" + name, status.getLen(), status.getModificationTime(), stats.records(),
                    stats.json())).iterator();
        }
    }
}
