package tokencost.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import tokencost.conf.TokencostConf;

/** Builds the job's SparkSession: Delta enabled, embedded local master unless spark-submit chose one. */
public final class SparkSessions {
    private SparkSessions() {}

    public static SparkSession create(TokencostConf conf, String appName) {
        SparkConf sc = new SparkConf(true); // picks up spark.* system properties set by spark-submit
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        boolean embedded = !sc.contains("spark.master");
        if (embedded) {
            b.master(conf.string(TokencostConf.SPARK_MASTER))
             .config("spark.ui.enabled", "false")
             .config("spark.driver.host", "127.0.0.1")
             .config("spark.driver.bindAddress", "127.0.0.1");
            int cores = Runtime.getRuntime().availableProcessors();
            // Small tables are overwritten often: few shuffle and snapshot partitions keep that fast.
            b.config("spark.sql.shuffle.partitions", String.valueOf(cores))
             .config("spark.databricks.delta.snapshotPartitions", String.valueOf(cores));
        }
        if (!sc.contains("spark.executor.heartbeatInterval")) {
            // Running tasks report their progress with the heartbeat: beat at least once per progress line.
            long ms = Math.max(1000, Math.min(10_000, (long) (conf.number(TokencostConf.PROGRESS_INTERVAL_S) * 1000 / 2)));
            b.config("spark.executor.heartbeatInterval", ms + "ms");
        }
        b.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
         .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
         .config("spark.sql.parquet.compression.codec", "zstd")
         .config("spark.sql.session.timeZone", "UTC")
         // Standard Parquet timestamps (not legacy INT96), so plain Parquet/Avro readers can read every file.
         .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
         // Tables are partitioned by run_id and a task writes one run: with concurrent writers allowed, Spark does
         // not sort each task's rows by the partition column before writing (a sort buffers the whole task).
         .config("spark.sql.maxConcurrentOutputFileWriters", "4")
         // Row groups of 32 MiB: a writing task buffers one row group, so memory per task stays bounded.
         .config("spark.hadoop.parquet.block.size", String.valueOf(32 * 1024 * 1024))
         // Keep tables readable by plain Delta readers (reader protocol 1).
         .config("spark.databricks.delta.properties.defaults.enableDeletionVectors", "false")
         .config("spark.databricks.delta.properties.defaults.columnMapping.mode", "none");
        // High-cardinality measures (latencies, costs, ...) gain nothing from dictionary encoding, and trying it
        // costs a hash per value in every row group: plain-encode every double column of the grid.
        for (org.apache.spark.sql.types.StructField f : tokencost.tables.TableContract.load("inference_grid").sparkSchema().fields()) {
            if (f.dataType() == org.apache.spark.sql.types.DataTypes.DoubleType) {
                b.config("spark.hadoop.parquet.enable.dictionary#" + f.name(), "false");
            }
        }
        for (Map.Entry<String, String> e : conf.sparkSettings().entrySet()) b.config(e.getKey(), e.getValue());
        SparkSession spark = b.getOrCreate();
        checkVersion(spark.version());
        return spark;
    }

    /** Delta breaks across Spark patch versions: refuse to run on another Spark than the one it was built for. */
    public static void checkVersion(String runtime) {
        String expected = BuildInfo.sparkVersion();
        if (!runtime.equals(expected)) {
            throw new IllegalStateException("Spark " + runtime + " is running, but this build's Delta " + BuildInfo.deltaVersion()
                    + " (delta-spark_4.2) was built for Spark " + expected + " exactly: run on Spark " + expected);
        }
    }
}
