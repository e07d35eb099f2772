package tokencost.tables;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.delta.actions.AddFile;

/**
 * The live data files of one run's partition of a table at a version, listed from the Delta log by Delta Kernel on the
 * driver. delta-spark lists files (OptimisticTransaction.filterFiles) with a state-reconstruction Spark job per table
 * version: cheap in a warm JVM, but seconds of planning and code generation in the fresh JVM every scheduled run starts
 * in. Kernel reads the same log (checkpoint and commits) in plain Java.
 */
final class RunFiles {
    private RunFiles() {}

    /** The run's live files at {@code version}, as delta-spark AddFile actions (their statistics included). */
    static List<AddFile> at(Configuration hadoop, String tablePath, long version, String runId) {
        var engine = io.delta.kernel.defaults.engine.DefaultEngine.create(hadoop);
        var snapshot = io.delta.kernel.Table.forPath(engine, tablePath).getSnapshotAsOfVersion(engine, version);
        var thisRun = new io.delta.kernel.expressions.Predicate("=", new io.delta.kernel.expressions.Column(DeltaTables.RUN_ID),
                io.delta.kernel.expressions.Literal.ofString(runId));
        List<AddFile> out = new ArrayList<>();
        try (var batches = snapshot.getScanBuilder().withFilter(thisRun).build().getScanFiles(engine, true)) {
            while (batches.hasNext()) {
                try (var rows = batches.next().getRows()) {
                    while (rows.hasNext()) {
                        var scanFile = rows.next();
                        var add = scanFile.getStruct(scanFile.getSchema().indexOf("add"));
                        var schema = add.getSchema();
                        var partition = add.getMap(schema.indexOf("partitionValues"));
                        var values = scala.collection.immutable.Map$.MODULE$.<String, String>empty();
                        for (int i = 0; i < partition.getSize(); i++) {
                            values = values.updated(partition.getKeys().getString(i), partition.getValues().getString(i));
                        }
                        // the filter prunes by partition; checked again, since a wrong file here would be removed
                        if (!runId.equals(values.get(DeltaTables.RUN_ID).getOrElse(() -> null))) continue;
                        int stats = schema.indexOf("stats");
                        out.add(addFile(add.getString(schema.indexOf("path")), values, add.getLong(schema.indexOf("size")),
                                add.getLong(schema.indexOf("modificationTime")), add.getBoolean(schema.indexOf("dataChange")),
                                stats < 0 || add.isNullAt(stats) ? null : add.getString(stats)));
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list the files of run " + runId + " in " + tablePath + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** A delta-spark AddFile of a plain data file: no tags, deletion vector, row ids or clustering. */
    static AddFile addFile(String path, scala.collection.immutable.Map<String, String> partitionValues, long size, long modificationTime,
                           boolean dataChange, String stats) {
        var af = org.apache.spark.sql.delta.actions.AddFile$.MODULE$;
        return new AddFile(path, partitionValues, size, modificationTime, dataChange, stats, af.apply$default$7(), af.apply$default$8(),
                af.apply$default$9(), af.apply$default$10(), af.apply$default$11(), af.apply$default$12(), af.apply$default$13());
    }
}
