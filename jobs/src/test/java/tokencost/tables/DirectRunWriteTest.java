package tokencost.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;
import tokencost.TestCatalogs;
import tokencost.conf.TokencostConf;
import tokencost.sweep.SliceEvaluator;
import tokencost.sweep.SweepPlan;
import tokencost.sweep.SweepRows;

/**
 * The direct write of a run's grid rows: what it commits must be what Delta's own DataFrame write of the same rows
 * commits — the same rows, the same skipping statistics, the same constraint errors, the same idempotency — only
 * cheaper. Each check compares against a real Delta write, not against figures typed here.
 */
class DirectRunWriteTest extends SparkTestBase {
    static final String SWEEP = "tokencost.sweep {\n"
            + "  models = [llama-3.1-8b, mixtral-8x7b]\n"
            + "  hardware = [h100-sxm, apple-m4-max]\n"
            + "  workloads = [chat, batch-analytics]\n"
            + "  devices = [1, 8]\n"
            + "  batches = [1, 64]\n"
            + "  stack-levers = [fp8, continuous-batching]\n"
            + "}\n";
    static final LocalDate DAY = LocalDate.of(2026, 12, 3);

    @TempDir
    static Path dir;
    static SweepPlan plan;

    @BeforeAll
    static void plan() throws Exception {
        Path f = dir.resolve("small.conf");
        Files.writeString(f, SWEEP);
        plan = SweepPlan.from(TokencostConf.load(f), TestCatalogs.real());
    }

    /** The plan's cells, partition p of n taking slices by the same even split as the sweep. */
    static Iterator<SweepRows.Cell> cells(SweepPlan plan, int n, long p) {
        List<SweepRows.Cell> out = new ArrayList<>();
        for (long s = p * plan.slices() / n; s < (p + 1) * plan.slices() / n; s++) {
            var w = plan.catalog().workload(plan.slice(s)[2]);
            SliceEvaluator.cells(plan, s, e -> out.add(new SweepRows.Cell(e, w.inputTokens(), w.outputTokens())));
        }
        return out.iterator();
    }

    /** The grid output of {@code plan} over n partitions: one step per partition. */
    static DirectRunWrite.Output<SweepRows.Cell> grid(TypedRowMapper<SweepRows.Cell> mapper, long expectedRows) {
        return new DirectRunWrite.Output<>(SweepRows.GRID, mapper, expectedRows);
    }

    static DirectRunWrite.Producer producer(DirectRunWrite.Output<SweepRows.Cell> grid, int n) {
        SweepPlan p0 = plan;
        return p -> List.<java.util.function.Consumer<DirectRunWrite.Sinks>>of(sinks -> {
            var sink = sinks.sink(grid);
            cells(p0, n, p).forEachRemaining(sink::add);
        }).iterator();
    }

    /** The plan's grid written the direct way (or the DataFrame way where the table needs it). */
    static DirectRunWrite.Result replaceRun(DeltaTables t, String run, int n, TypedRowMapper<SweepRows.Cell> mapper, long expectedRows) {
        var out = grid(mapper, expectedRows);
        return DirectRunWrite.replaceRuns(t, run, n, List.of(out), producer(out, n)).get(SweepRows.GRID);
    }

    static DeltaTables tables(String name) {
        DeltaTables t = new DeltaTables(spark(), Warehouse.at(dir.resolve(name).toString(), dir), List.of(SweepRows.GRID));
        t.ensureAll();
        return t;
    }

    @Test
    void commitsTheSameRowsAndStatisticsAsDeltasOwnWrite() throws Exception {
        DeltaTables direct = tables("direct");
        DeltaTables viaSpark = tables("spark");
        String run = "2026-12-03-aaaa0001";
        var result = replaceRun(direct, run, 3, SweepRows.grid(DAY), plan.cells());
        assertTrue(result.direct(), "the grid table is one the direct path writes: " + result.notDirect());
        assertEquals(plan.cells(), result.rows());
        var all = grid(SweepRows.grid(DAY), -1);
        viaSpark.replaceRun(SweepRows.GRID, run, DirectRunWrite.dataFrame(spark(), run, 3, all, producer(all, 3)));

        List<Row> a = direct.read(SweepRows.GRID).collectAsList();
        List<Row> b = viaSpark.read(SweepRows.GRID).collectAsList();
        assertEquals(plan.cells(), a.size());
        assertRowSetsEqual(b, a, 0.0);

        // the statistics Delta keeps per file: the direct files' must equal what Delta computes for the same rows
        DeltaLogReader directLog = DeltaLogReader.read(Path.of(direct.path(SweepRows.GRID)));
        DeltaLogReader sparkLog = DeltaLogReader.read(Path.of(viaSpark.path(SweepRows.GRID)));
        assertEquals(3, directLog.liveFiles.size());
        assertEquals(sparkLog.liveFiles.size(), directLog.liveFiles.size());
        assertEquals(statsByFirstKey(sparkLog), statsByFirstKey(directLog));
        assertEquals(plan.cells(), directLog.countRows(Path.of(direct.path(SweepRows.GRID)), direct.contract(SweepRows.GRID).columns()),
                "a plain Parquet reader sees every row with the contract's columns");

        // data skipping works on the direct files' statistics: a filter on model reads only the files holding it
        long filesForOneModel = spark().read().format("delta").load(direct.path(SweepRows.GRID))
                .where("model = 'mixtral-8x7b'").inputFiles().length;
        assertTrue(filesForOneModel < 3, "files skipped by their model bounds: " + filesForOneModel + " of 3 read");
    }

    /**
     * The direct path's Parquet files (parquet-mr's column writers fed directly) are Spark's: byte for byte the files
     * the Delta file format's own Spark writer writes for the same rows in the same task, and, against the DataFrame
     * write of the same rows, the same footer — schema, key/value metadata, writer, codec, per-column encodings,
     * statistics — and the same rows for a plain Parquet reader.
     */
    @Test
    void theDirectFilesAreTheFilesSparksParquetWriterWrites() throws Exception {
        DeltaTables lean = tables("lean");
        DeltaTables sparkWriter = tables("sparkwriter");
        DeltaTables viaDataFrame = tables("dataframe");
        String run = "2026-12-03-aaaa0002";
        long opened = LeanParquetWriter.OPENED.get();
        assertTrue(replaceRun(lean, run, 3, SweepRows.grid(DAY), plan.cells()).direct());
        assertEquals(opened + 3, LeanParquetWriter.OPENED.get(), "the direct path wrote its 3 files with the lean writer");
        spark().conf().set(DirectRunWrite.LEAN_PARQUET, "false");
        try {
            assertTrue(replaceRun(sparkWriter, run, 3, SweepRows.grid(DAY), plan.cells()).direct());
            assertEquals(opened + 3, LeanParquetWriter.OPENED.get(), "switched off, the direct path wrote with Spark's writer");
        } finally {
            spark().conf().unset(DirectRunWrite.LEAN_PARQUET);
        }
        var all = grid(SweepRows.grid(DAY), -1);
        viaDataFrame.replaceRun(SweepRows.GRID, run, DirectRunWrite.dataFrame(spark(), run, 3, all, producer(all, 3)));

        Map<String, Path> leanFiles = partFiles(lean);
        Map<String, Path> sparkFiles = partFiles(sparkWriter);
        Map<String, Path> dfFiles = partFiles(viaDataFrame);
        assertEquals(3, leanFiles.size());
        assertEquals(leanFiles.keySet(), sparkFiles.keySet());
        assertEquals(leanFiles.keySet(), dfFiles.keySet(), "the DataFrame write's task i wrote the rows of the direct task i");
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        for (String part : leanFiles.keySet()) {
            Path mine = leanFiles.get(part);
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(sparkFiles.get(part)), Files.readAllBytes(mine)),
                    part + ": the lean writer's file is byte for byte the Spark writer's");

            var b = footer(mine, conf);
            assertSameFooter(footer(sparkFiles.get(part), conf), b, true, part + " (Spark's writer)");
            // Delta's DataFrame write writes every column nullable (OPTIONAL); the direct path writes the contract's
            // NOT NULL columns REQUIRED, as Spark's writer does for that schema: the same files otherwise
            assertSameFooter(footer(dfFiles.get(part), conf), b, false, part + " (DataFrame write)");
            assertTrue(b.getFileMetaData().getSchema().getType("model").isRepetition(
                    org.apache.parquet.schema.Type.Repetition.REQUIRED), "a NOT NULL column is REQUIRED");
            assertTrue(b.getFileMetaData().getSchema().getType("ttft_ms").isRepetition(
                    org.apache.parquet.schema.Type.Repetition.OPTIONAL), "a nullable column is OPTIONAL");
            var doubles = b.getBlocks().get(0).getColumns().stream()
                    .filter(c -> c.getPrimitiveType().getPrimitiveTypeName() == org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE)
                    .toList();
            assertFalse(doubles.isEmpty());
            for (var c : doubles) {
                assertFalse(c.hasDictionaryPage(), c.getPath() + ": parquet.enable.dictionary#" + c.getPath() + "=false honoured");
            }
            List<String> columns = b.getFileMetaData().getSchema().getFields().stream().map(t -> t.getName()).toList();
            assertEquals(plainRows(dfFiles.get(part), columns, conf), plainRows(mine, columns, conf),
                    part + ": a plain Parquet reader reads the same rows");
        }
    }

    /**
     * Two files' footers say the same: schema, key/value metadata, writer, row groups, and per column chunk the codec,
     * encodings, statistics and value count. With {@code sameNullability} false, the expected file's columns may all
     * be OPTIONAL where the actual's are REQUIRED (and Spark's row metadata nullable); then the chunk's level encodings
     * and sizes differ by the definition levels, and only its data encodings are compared.
     */
    private static void assertSameFooter(org.apache.parquet.hadoop.metadata.ParquetMetadata a,
                                         org.apache.parquet.hadoop.metadata.ParquetMetadata b, boolean sameNullability, String what) {
        var sa = a.getFileMetaData().getSchema();
        var sb = b.getFileMetaData().getSchema();
        Map<String, String> ka = a.getFileMetaData().getKeyValueMetaData();
        Map<String, String> kb = b.getFileMetaData().getKeyValueMetaData();
        assertEquals(new TreeMap<>(ka).keySet(), new TreeMap<>(kb).keySet(), what + " key/value metadata keys");
        assertTrue(kb.containsKey("org.apache.spark.version") && kb.containsKey("org.apache.spark.sql.parquet.row.metadata"), what + ": " + kb);
        if (sameNullability) {
            assertEquals(sa, sb, what + " schema");
            assertEquals(ka, kb, what + " key/value metadata");
        } else {
            // the DataFrame write also stores the partition column in its files (after the data columns)
            var optional = new org.apache.parquet.schema.MessageType(sb.getName(), sb.getFields().stream()
                    .map(t -> (org.apache.parquet.schema.Type) org.apache.parquet.schema.Types
                            .optional(t.asPrimitiveType().getPrimitiveTypeName()).as(t.getLogicalTypeAnnotation()).named(t.getName()))
                    .toList());
            var dataOnly = new org.apache.parquet.schema.MessageType(sa.getName(),
                    sa.getFields().stream().filter(t -> !t.getName().equals("run_id")).toList());
            assertEquals(dataOnly, optional, what + " schema (all columns nullable, without run_id)");
            for (String k : ka.keySet()) {
                if (k.equals("org.apache.spark.sql.parquet.row.metadata")) {
                    assertEquals(nullableFields(ka.get(k)), nullableFields(kb.get(k)), what + " Spark schema (all nullable, without run_id)");
                    assertTrue(kb.get(k).contains("\"name\":\"model\",\"type\":\"string\",\"nullable\":false"), kb.get(k));
                } else {
                    assertEquals(ka.get(k), kb.get(k), what + " " + k);
                }
            }
        }
        assertEquals(a.getFileMetaData().getCreatedBy(), b.getFileMetaData().getCreatedBy(), what + " created by");
        assertEquals(a.getBlocks().size(), b.getBlocks().size(), what + " row groups");
        for (int g = 0; g < a.getBlocks().size(); g++) {
            var ga = a.getBlocks().get(g);
            var gb = b.getBlocks().get(g);
            assertEquals(ga.getRowCount(), gb.getRowCount(), what + " rows in row group " + g);
            assertEquals(sameNullability ? ga.getColumns().size() : sa.getFieldCount() - (sa.containsField("run_id") ? 1 : 0),
                    gb.getColumns().size());
            for (int c = 0; c < gb.getColumns().size(); c++) {
                var ca = ga.getColumns().get(c);
                var cb = gb.getColumns().get(c);
                String where = what + " row group " + g + " column " + ca.getPath();
                assertEquals(ca.getPath(), cb.getPath(), where);
                assertEquals(org.apache.parquet.hadoop.metadata.CompressionCodecName.ZSTD, cb.getCodec(), where + " codec");
                assertEquals(ca.getCodec(), cb.getCodec(), where + " codec");
                assertEquals(ca.getEncodingStats().getDictionaryEncodings(), cb.getEncodingStats().getDictionaryEncodings(), where + " dictionary encodings");
                assertEquals(ca.getEncodingStats().getDataEncodings(), cb.getEncodingStats().getDataEncodings(), where + " data encodings");
                assertEquals(ca.hasDictionaryPage(), cb.hasDictionaryPage(), where + " dictionary page");
                assertEquals(ca.getStatistics().toString(), cb.getStatistics().toString(), where + " statistics");
                assertEquals(ca.getStatistics().getNumNulls(), cb.getStatistics().getNumNulls(), where + " nulls");
                if (sameNullability) assertEquals(ca.getStatistics(), cb.getStatistics(), where + " statistics");
                assertEquals(ca.getValueCount(), cb.getValueCount(), where + " values");
                if (sameNullability || sa.getType(c).isRepetition(org.apache.parquet.schema.Type.Repetition.OPTIONAL)
                        == sb.getType(c).isRepetition(org.apache.parquet.schema.Type.Repetition.OPTIONAL)) {
                    assertEquals(ca.getEncodings(), cb.getEncodings(), where + " encodings");
                    assertEquals(ca.getTotalSize(), cb.getTotalSize(), where + " compressed size");
                }
            }
        }
    }

    /** Spark's schema JSON as its list of fields, every field nullable, without run_id. */
    private static List<String> nullableFields(String schemaJson) {
        try {
            List<String> out = new ArrayList<>();
            for (JsonNode f : new ObjectMapper().readTree(schemaJson).get("fields")) {
                if (f.get("name").asText().equals("run_id")) continue;
                ((com.fasterxml.jackson.databind.node.ObjectNode) f).put("nullable", true);
                out.add(f.toString());
            }
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A table's live data files by their task's part number. */
    private static Map<String, Path> partFiles(DeltaTables t) {
        Path table = Path.of(t.path(SweepRows.GRID));
        Map<String, Path> out = new TreeMap<>();
        for (String f : DeltaLogReader.read(table).liveFiles) {
            Path p = Path.of(table.toUri().resolve(f));
            out.put(p.getFileName().toString().substring(0, "part-00000".length()), p);
        }
        return out;
    }

    private static org.apache.parquet.hadoop.metadata.ParquetMetadata footer(Path f, org.apache.hadoop.conf.Configuration conf)
            throws Exception {
        try (var r = org.apache.parquet.hadoop.ParquetFileReader.open(
                org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), conf))) {
            return r.getFooter();
        }
    }

    /** Every row as parquet-avro reads it, in file order. */
    private static List<String> plainRows(Path f, List<String> columns, org.apache.hadoop.conf.Configuration conf) throws Exception {
        List<String> rows = new ArrayList<>();
        try (var reader = org.apache.parquet.avro.AvroParquetReader.<org.apache.avro.generic.GenericRecord>builder(
                org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), conf)).build()) {
            org.apache.avro.generic.GenericRecord r;
            while ((r = reader.read()) != null) {
                StringBuilder row = new StringBuilder();
                for (String c : columns) row.append(c).append('=').append(r.get(c)).append(';');
                rows.add(row.toString());
            }
        }
        assertFalse(rows.isEmpty());
        return rows;
    }

    /** Each live file's stats JSON, keyed by its min model + hardware (file names differ between the two writes). */
    private static Map<String, JsonNode> statsByFirstKey(DeltaLogReader log) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode add : log.addActions) {
            if (!log.liveFiles.contains(add.get("path").asText())) continue;
            JsonNode stats = json.readTree(add.get("stats").asText());
            out.put(stats.at("/minValues/model").asText() + "/" + stats.at("/minValues/hardware").asText() + "/"
                    + stats.at("/numRecords").asLong(), stats);
        }
        return out;
    }

    @Test
    void replacesOnlyItsRunAndAReplayedWriteIsAppliedOnce() {
        DeltaTables t = tables("replace");
        var mapper = SweepRows.grid(DAY);
        replaceRun(t, "run-a", 2, mapper, plan.cells());
        replaceRun(t, "run-b", 2, mapper, plan.cells());
        long afterB = t.version(SweepRows.GRID);
        replaceRun(t, "run-a", 4, mapper, plan.cells());
        assertEquals(2 * plan.cells(), t.read(SweepRows.GRID).count(), "run-a replaced, not appended; run-b untouched");
        assertEquals(plan.cells(), t.read(SweepRows.GRID).where("run_id = 'run-b'").count());
        assertEquals(afterB + 1, t.version(SweepRows.GRID));
        assertEquals(2, t.lastWriteOfRun(SweepRows.GRID, "run-a"), "each write of a run carries the run's next token");
        // read from the version's checksum file: the same as Delta's own state reconstruction says
        var snapshot = org.apache.spark.sql.delta.DeltaLog.forTable(spark(), t.path(SweepRows.GRID))
                .update(false, scala.Option.empty(), scala.Option.empty());
        assertTrue(snapshot.checksumOpt().isDefined(), "Delta wrote the version's checksum");
        for (String run : List.of("run-a", "run-b")) {
            assertEquals(snapshot.transactions().get(DeltaTables.txnAppId(run)).get(), DeltaTables.txnVersion(snapshot, DeltaTables.txnAppId(run)));
        }
        assertEquals(-1, DeltaTables.txnVersion(snapshot, DeltaTables.txnAppId("run-z")));
        DeltaLogReader log = DeltaLogReader.read(Path.of(t.path(SweepRows.GRID)));
        assertEquals(2 + 4, log.liveFiles.size(), "run-a's first files were removed by its second write");
    }

    @Test
    void theRunsFilesAreListedWithoutSparkAndAConcurrentCommitToTheRunConflicts() {
        DeltaTables t = tables("listing");
        replaceRun(t, "run-a", 2, SweepRows.grid(DAY), plan.cells());
        replaceRun(t, "run-b", 3, SweepRows.grid(DAY), plan.cells());
        var log = org.apache.spark.sql.delta.DeltaLog.forTable(spark(), t.path(SweepRows.GRID));

        // Kernel lists exactly the files delta-spark's own filterFiles lists for the run
        var txn = log.startTransaction();
        var kernel = DirectRunWrite.readRunFiles(t, SweepRows.GRID, txn, "run-a");
        var viaSpark = scala.jdk.javaapi.CollectionConverters.asJava(txn.filterFiles(
                scala.jdk.javaapi.CollectionConverters.asScala(List.<org.apache.spark.sql.catalyst.expressions.Expression>of(
                        new org.apache.spark.sql.catalyst.expressions.EqualTo(
                                org.apache.spark.sql.catalyst.types.DataTypeUtils.toAttributes(new org.apache.spark.sql.types.StructType()
                                        .add("run_id", org.apache.spark.sql.types.DataTypes.StringType, false)).head(),
                                org.apache.spark.sql.catalyst.expressions.Literal.create("run-a",
                                        org.apache.spark.sql.types.DataTypes.StringType)))).toSeq(), false));
        assertEquals(2, kernel.size());
        assertEquals(new java.util.TreeSet<>(viaSpark.stream().map(f -> f.path()).toList()),
                new java.util.TreeSet<>(kernel.stream().map(f -> f.path()).toList()));
        assertEquals(new java.util.TreeSet<>(viaSpark.stream().map(f -> f.size()).toList()),
                new java.util.TreeSet<>(kernel.stream().map(f -> f.size()).toList()));
        assertTrue(kernel.stream().allMatch(f -> f.stats() != null && f.stats().contains("numRecords")), "statistics come along");

        // another run's commit meanwhile does not conflict with a transaction that read run-a ...
        var other = log.startTransaction();
        DirectRunWrite.readRunFiles(t, SweepRows.GRID, other, "run-a");
        replaceRun(t, "run-b", 2, SweepRows.grid(DAY), plan.cells());
        other.commit(scala.jdk.javaapi.CollectionConverters.asScala(List.<org.apache.spark.sql.delta.actions.Action>of()).toSeq(),
                new org.apache.spark.sql.delta.DeltaOperations.ManualUpdate$());
        // ... while a commit adding to run-a meanwhile does (the reader would otherwise leave that row beside its own):
        // the reader's commit fails, and the caller retries it on the new version
        var reader = log.startTransaction();
        var read = DirectRunWrite.readRunFiles(t, SweepRows.GRID, reader, "run-a");
        t.read(SweepRows.GRID).where("run_id = 'run-b'").limit(1).withColumn("run_id", org.apache.spark.sql.functions.lit("run-a"))
                .write().format("delta").mode("append").save(t.path(SweepRows.GRID));
        long now = System.currentTimeMillis();
        List<org.apache.spark.sql.delta.actions.Action> removes = new ArrayList<>();
        read.forEach(f -> removes.add(f.removeWithTimestamp(now, true)));
        assertThrows(io.delta.exceptions.DeltaConcurrentModificationException.class, () -> reader.commit(
                scala.jdk.javaapi.CollectionConverters.asScala(removes).toSeq(), new org.apache.spark.sql.delta.DeltaOperations.ManualUpdate$()));
        assertEquals(2 * plan.cells() + 1, t.read(SweepRows.GRID).count(), "nothing of the reader's commit applied");
    }

    @Test
    void aRowBreakingAConstraintFailsTheWriteWithDeltasMessageAndNothingIsCommitted() {
        DeltaTables t = tables("constraint");
        spark().sql("ALTER TABLE delta.`" + t.path(SweepRows.GRID) + "` ADD CONSTRAINT small_batches CHECK (batch < 64)");
        long before = t.version(SweepRows.GRID);
        Exception e = assertThrows(Exception.class,
                () -> replaceRun(t, "run-c", 2, SweepRows.grid(DAY), plan.cells()));
        String m = String.valueOf(rootMessage(e));
        assertTrue(m.contains("small_batches") && m.contains("batch"), "Delta's own CHECK violation names the constraint: " + m);
        assertEquals(before, t.version(SweepRows.GRID), "nothing committed");
        assertEquals(0, t.read(SweepRows.GRID).count());
    }

    @Test
    void aWrongRowCountFailsBeforeTheCommit() {
        DeltaTables t = tables("count");
        long before = t.version(SweepRows.GRID);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> replaceRun(t, "run-d", 2, SweepRows.grid(DAY), plan.cells() + 1));
        assertTrue(e.getMessage().contains("the plan has " + (plan.cells() + 1)), e.getMessage());
        assertEquals(before, t.version(SweepRows.GRID));
    }

    @Test
    void aTableWithFeaturesTheDirectPathDoesNotWriteGoesThroughTheDataFrameWriter() {
        DeltaTables t = tables("features");
        spark().sql("ALTER TABLE delta.`" + t.path(SweepRows.GRID) + "` SET TBLPROPERTIES ('delta.dataSkippingStatsColumns' = 'model')");
        var result = replaceRun(t, "run-e", 2, SweepRows.grid(DAY), plan.cells());
        assertFalse(result.direct());
        assertEquals(plan.cells(), t.read(SweepRows.GRID).count());
    }

    @Test
    void aNonFiniteNumberFailsTheRowNamingItsKey() {
        var mapper = SweepRows.grid(DAY);
        var filler = mapper.filler();
        Iterator<SweepRows.Cell> it = cells(plan, 1, 0);
        SweepRows.Cell c = it.next();
        while (!c.e().fits()) c = it.next();
        filler.fill(c);
        SweepRows.Cell broken = new SweepRows.Cell(c.e(), 0, 0); // a zero-token mix: the blended cost is 0/0
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> filler.fill(broken));
        assertTrue(e.getMessage().contains("cost_usd_per_mtok_blended = NaN") && e.getMessage().contains("model=" + c.e().model())
                && e.getMessage().contains("batch=" + c.e().batch()), e.getMessage());
    }

    private static String rootMessage(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) all.append(t.getMessage()).append(" | ");
        return all.toString();
    }
}
