package tokencost.tables;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.codec.CodecConfig;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Writes flat rows of a Spark schema to one Parquet file straight into parquet-mr's column writers: the file Spark's
 * {@code ParquetOutputWriter} writes for the same rows and the same Hadoop configuration — the same schema and footer
 * metadata (both taken from Spark's own {@link ParquetWriteSupport#init}), codec and level, page and row-group sizes,
 * page row-count limit, per-column dictionary, statistics and bloom-filter settings (read from the configuration the
 * way {@code ParquetOutputFormat.getRecordWriter} reads them), row groups cut where {@code InternalParquetRecordWriter}
 * cuts them — without the record-consumer machinery between a row and the column writers: no per-field closures, no
 * field bookkeeping, one {@link ColumnWriter} call per value, and a string column repeating the row before's string
 * object reuses its {@link Binary}.
 *
 * <p>What it does not do: nested or decimal/binary/interval/variant columns, timestamps other than INT64 micros,
 * legacy date/time rebasing, encryption. {@link #unsupported} names such a case; the caller then uses Spark's writer.
 * It does not join parquet-mr's process-wide {@code MemoryManager}, which only shrinks row groups when the open
 * writers' row groups together exceed 95% of the heap.
 */
final class LeanParquetWriter {
    /** Files this JVM opened with it (the tests check that the direct path used it). */
    static final java.util.concurrent.atomic.AtomicLong OPENED = new java.util.concurrent.atomic.AtomicLong();

    private static final int BOOLEAN = 0, BYTE = 1, SHORT = 2, INT = 3, LONG = 4, FLOAT = 5, DOUBLE = 6, STRING = 7;

    private final ParquetFileWriter file;
    private final MessageType schema;
    private final ParquetProperties props;
    private final CodecFactory codecs;
    private final CodecFactory.BytesCompressor compressor;
    private final Map<String, String> extraMetaData;
    private final WriteSupport<InternalRow> writeSupport;
    private final long rowGroupSizeThreshold;
    private final int rowGroupRecordCountThreshold;
    private final ColumnDescriptor[] descriptors;
    private final int[] kinds;
    private final boolean[] optional;
    private final UTF8String[] lastString;
    private final Binary[] lastBinary;

    private ColumnWriteStore columnStore;
    private ColumnChunkPageWriteStore pageStore;
    private final ColumnWriter[] writers;
    private long nextRowGroupSize;
    private long recordCount;
    private long recordCountForNextMemCheck;
    private int rowGroupOrdinal;
    private boolean closed;

    /**
     * Why this writer cannot write {@code dataSchema} with {@code conf} (a configuration Spark's Parquet
     * {@code prepareWrite} filled), or null when it can.
     */
    static String unsupported(Configuration conf, StructType dataSchema) {
        if (!ParquetWriteSupport.class.getName().equals(conf.get(ParquetOutputFormat.WRITE_SUPPORT_CLASS))) {
            return "write support " + conf.get(ParquetOutputFormat.WRITE_SUPPORT_CLASS);
        }
        if (conf.get("parquet.crypto.factory.class") != null || conf.get("parquet.encryption.kms.client.class") != null) {
            return "encryption";
        }
        WriteSupport.WriteContext context;
        try {
            context = new ParquetWriteSupport().init(new Configuration(conf));
        } catch (RuntimeException e) {
            return "Spark's write support: " + e;
        }
        return unsupported(context, dataSchema);
    }

    private static String unsupported(WriteSupport.WriteContext context, StructType dataSchema) {
        MessageType schema = context.getSchema();
        if (schema.getFieldCount() != dataSchema.length()) return "nested schema";
        if (schema.getColumns().size() != dataSchema.length()) return "nested schema";
        for (int i = 0; i < dataSchema.length(); i++) {
            Type t = schema.getType(i);
            if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) return "column " + t.getName() + " is not flat";
            if (kind(dataSchema.fields()[i].dataType(), t.asPrimitiveType()) < 0) {
                return "column " + t.getName() + " of type " + dataSchema.fields()[i].dataType().simpleString() + " as " + t;
            }
        }
        Map<String, String> meta = context.getExtraMetaData();
        if (meta.containsKey("org.apache.spark.legacyDateTime") || meta.containsKey("org.apache.spark.legacyINT96")) {
            return "legacy date/time rebasing";
        }
        return null;
    }

    /** How a Spark column is written into its Parquet column (-1: not by this writer). */
    private static int kind(DataType type, PrimitiveType p) {
        PrimitiveTypeName n = p.getPrimitiveTypeName();
        if (type instanceof BooleanType) return n == PrimitiveTypeName.BOOLEAN ? BOOLEAN : -1;
        if (type instanceof ByteType) return n == PrimitiveTypeName.INT32 ? BYTE : -1;
        if (type instanceof ShortType) return n == PrimitiveTypeName.INT32 ? SHORT : -1;
        if (type instanceof IntegerType || type instanceof DateType) return n == PrimitiveTypeName.INT32 ? INT : -1;
        if (type instanceof LongType) return n == PrimitiveTypeName.INT64 ? LONG : -1;
        if (type instanceof TimestampType || type instanceof TimestampNTZType) {
            return n == PrimitiveTypeName.INT64 && p.getLogicalTypeAnnotation()
                    instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
                    && ts.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS ? LONG : -1;
        }
        if (type instanceof FloatType) return n == PrimitiveTypeName.FLOAT ? FLOAT : -1;
        if (type instanceof DoubleType) return n == PrimitiveTypeName.DOUBLE ? DOUBLE : -1;
        if (type instanceof StringType) return n == PrimitiveTypeName.BINARY ? STRING : -1;
        return -1;
    }

    /** Opens {@code path} for writing rows of {@code dataSchema}; {@link #unsupported} must have said yes to them. */
    LeanParquetWriter(String path, StructType dataSchema, TaskAttemptContext context) throws IOException {
        Configuration conf = context.getConfiguration();
        // as ParquetOutputFormat.getRecordWriter(TaskAttemptContext) through Spark's ParquetOutputWriter
        CompressionCodecName codec = CodecConfig.from(context).getCodec();
        this.props = properties(conf);
        this.rowGroupSizeThreshold = ParquetOutputFormat.getLongBlockSize(conf);
        int maxPaddingSize = conf.getInt(ParquetOutputFormat.MAX_PADDING_BYTES, ParquetWriter.MAX_PADDING_SIZE_DEFAULT);
        ParquetWriteSupport support = new ParquetWriteSupport();
        this.writeSupport = support;
        WriteSupport.WriteContext writeContext = support.init(conf);
        String why = unsupported(writeContext, dataSchema);
        if (why != null) throw new IllegalStateException("the lean Parquet writer cannot write " + path + ": " + why);
        this.schema = writeContext.getSchema();
        this.extraMetaData = writeContext.getExtraMetaData();
        Path file = new Path(path);
        if (ParquetOutputFormat.createEncryptionProperties(conf, file, writeContext) != null) {
            throw new IllegalStateException("the lean Parquet writer does not encrypt: " + path);
        }
        this.file = new ParquetFileWriter(HadoopOutputFile.fromPath(file, conf), schema, ParquetFileWriter.Mode.CREATE,
                rowGroupSizeThreshold, maxPaddingSize, null, props);
        this.file.start();
        // as ParquetRecordWriter and InternalParquetRecordWriter
        this.codecs = new CodecFactory(conf, props.getPageSizeThreshold());
        this.compressor = codecs.getCompressor(codec);
        this.rowGroupRecordCountThreshold = props.getRowGroupRowCountLimit();
        this.nextRowGroupSize = rowGroupSizeThreshold;

        int n = dataSchema.length();
        List<ColumnDescriptor> columns = schema.getColumns();
        this.descriptors = columns.toArray(new ColumnDescriptor[0]);
        this.kinds = new int[n];
        this.optional = new boolean[n];
        for (int i = 0; i < n; i++) {
            kinds[i] = kind(dataSchema.fields()[i].dataType(), descriptors[i].getPrimitiveType());
            optional[i] = descriptors[i].getMaxDefinitionLevel() > 0;
        }
        this.writers = new ColumnWriter[n];
        this.lastString = new UTF8String[n];
        this.lastBinary = new Binary[n];
        initStore();
        this.recordCountForNextMemCheck = props.getMinRowCountForPageSizeCheck();
        OPENED.incrementAndGet();
    }

    /** The writer properties ParquetOutputFormat.getRecordWriter builds from {@code conf} (parquet-hadoop 1.17). */
    static ParquetProperties properties(Configuration conf) {
        ParquetProperties.Builder b = ParquetProperties.builder()
                .withPageSize(ParquetOutputFormat.getPageSize(conf))
                .withDictionaryPageSize(ParquetOutputFormat.getDictionaryPageSize(conf))
                .withDictionaryEncoding(ParquetOutputFormat.getEnableDictionary(conf))
                .withByteStreamSplitEncoding(ParquetOutputFormat.getByteStreamSplitEnabled(conf))
                .withWriterVersion(ParquetOutputFormat.getWriterVersion(conf))
                .estimateRowCountForPageSizeCheck(ParquetOutputFormat.getEstimatePageSizeCheck(conf))
                .withMinRowCountForPageSizeCheck(ParquetOutputFormat.getMinRowCountForPageSizeCheck(conf))
                .withMaxRowCountForPageSizeCheck(ParquetOutputFormat.getMaxRowCountForPageSizeCheck(conf))
                .withPageValueCountThreshold(ParquetOutputFormat.getValueCountThreshold(conf))
                .withColumnIndexTruncateLength(conf.getInt(ParquetOutputFormat.COLUMN_INDEX_TRUNCATE_LENGTH,
                        ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH))
                .withStatisticsTruncateLength(conf.getInt(ParquetOutputFormat.STATISTICS_TRUNCATE_LENGTH,
                        ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH))
                .withMaxBloomFilterBytes(ParquetOutputFormat.getBloomFilterMaxBytes(conf))
                .withBloomFilterEnabled(ParquetOutputFormat.getBloomFilterEnabled(conf))
                .withAdaptiveBloomFilterEnabled(ParquetOutputFormat.getAdaptiveBloomFilterEnabled(conf))
                .withRowGroupRowCountLimit(conf.getInt(ParquetOutputFormat.BLOCK_ROW_COUNT_LIMIT,
                        ParquetProperties.DEFAULT_ROW_GROUP_ROW_COUNT_LIMIT))
                .withPageRowCountLimit(conf.getInt(ParquetOutputFormat.PAGE_ROW_COUNT_LIMIT,
                        ParquetProperties.DEFAULT_PAGE_ROW_COUNT_LIMIT))
                .withPageWriteChecksumEnabled(ParquetOutputFormat.getPageWriteChecksumEnabled(conf))
                .withStatisticsEnabled(ParquetOutputFormat.getStatisticsEnabled(conf));
        // the per-column forms "<key>#<column path>", as parquet-hadoop's ColumnConfigParser applies them
        perColumn(conf, ParquetOutputFormat.ENABLE_DICTIONARY, k -> conf.getBoolean(k, false), b::withDictionaryEncoding);
        perColumn(conf, ParquetOutputFormat.BLOOM_FILTER_ENABLED, k -> conf.getBoolean(k, false), b::withBloomFilterEnabled);
        perColumn(conf, ParquetOutputFormat.BLOOM_FILTER_EXPECTED_NDV, k -> conf.getLong(k, -1L), b::withBloomFilterNDV);
        perColumn(conf, ParquetOutputFormat.BLOOM_FILTER_FPP, k -> conf.getDouble(k, 0.01), b::withBloomFilterFPP);
        perColumn(conf, ParquetOutputFormat.BLOOM_FILTER_CANDIDATES_NUMBER, k -> conf.getInt(k, 5), b::withBloomFilterCandidatesNumber);
        perColumn(conf, ParquetOutputFormat.STATISTICS_ENABLED, k -> conf.getBoolean(k, true), b::withStatisticsEnabled);
        return b.build();
    }

    private static <T> void perColumn(Configuration conf, String root, Function<String, T> value, BiConsumer<String, T> apply) {
        String prefix = root + "#";
        for (Map.Entry<String, String> e : conf) {
            String key = e.getKey();
            if (key.startsWith(prefix)) apply.accept(key.substring(prefix.length()), value.apply(key));
        }
    }

    private void initStore() {
        pageStore = new ColumnChunkPageWriteStore(compressor, schema, props.getAllocator(), props.getColumnIndexTruncateLength(),
                props.getPageWriteChecksumEnabled(), file.getEncryptor(), rowGroupOrdinal);
        columnStore = props.newColumnWriteStore(schema, pageStore, pageStore);
        for (int i = 0; i < descriptors.length; i++) writers[i] = columnStore.getColumnWriter(descriptors[i]);
    }

    /** Writes one row (its values are read now; the row may change after the call). */
    void write(InternalRow row) throws IOException {
        ColumnWriter[] w = writers;
        for (int i = 0; i < w.length; i++) {
            ColumnWriter c = w[i];
            if (row.isNullAt(i)) {
                if (!optional[i]) {
                    throw new IllegalStateException("null in the required Parquet column " + descriptors[i].getPath()[0]);
                }
                c.writeNull(0, 0);
                continue;
            }
            int d = optional[i] ? 1 : 0;
            switch (kinds[i]) {
                case DOUBLE -> c.write(row.getDouble(i), 0, d);
                case STRING -> c.write(binary(i, row.getUTF8String(i)), 0, d);
                case INT -> c.write(row.getInt(i), 0, d);
                case LONG -> c.write(row.getLong(i), 0, d);
                case BOOLEAN -> c.write(row.getBoolean(i), 0, d);
                case FLOAT -> c.write(row.getFloat(i), 0, d);
                case SHORT -> c.write((int) row.getShort(i), 0, d);
                case BYTE -> c.write((int) row.getByte(i), 0, d);
                default -> throw new IllegalStateException("kind " + kinds[i]);
            }
        }
        columnStore.endRecord();
        ++recordCount;
        checkBlockSizeReached();
    }

    /**
     * The column's value as a Binary: the one made for the row before when the string is the same object (a
     * UTF8String is immutable; the mappers here hand out one object per distinct string). Its bytes are the string's
     * own, so a dictionary or statistics keeping it keeps them without a copy.
     */
    private Binary binary(int column, UTF8String s) {
        if (s == lastString[column]) return lastBinary[column];
        Binary b = Binary.fromConstantByteArray(s.getBytes());
        lastString[column] = s;
        lastBinary[column] = b;
        return b;
    }

    /** InternalParquetRecordWriter.checkBlockSizeReached, the same thresholds. */
    private void checkBlockSizeReached() throws IOException {
        if (recordCount >= rowGroupRecordCountThreshold) {
            flushRowGroupToStore();
            initStore();
            recordCountForNextMemCheck = Math.min(Math.max(props.getMinRowCountForPageSizeCheck(), recordCount / 2),
                    props.getMaxRowCountForPageSizeCheck());
        } else if (recordCount >= recordCountForNextMemCheck) {
            long memSize = columnStore.getBufferedSize();
            long recordSize = memSize / recordCount;
            // flush the row group if it is within ~2 records of the limit
            if (memSize > (nextRowGroupSize - 2 * recordSize)) {
                flushRowGroupToStore();
                initStore();
                recordCountForNextMemCheck = Math.min(Math.max(props.getMinRowCountForPageSizeCheck(), recordCount / 2),
                        props.getMaxRowCountForPageSizeCheck());
            } else {
                recordCountForNextMemCheck = Math.min(
                        Math.max(props.getMinRowCountForPageSizeCheck(), (recordCount + (long) (nextRowGroupSize / ((float) recordSize))) / 2),
                        recordCount + props.getMaxRowCountForPageSizeCheck());
            }
        }
    }

    private void flushRowGroupToStore() throws IOException {
        try {
            if (recordCount > 0) {
                rowGroupOrdinal++;
                file.startBlock(recordCount);
                columnStore.flush();
                pageStore.flushToFileWriter(file);
                recordCount = 0;
                file.endBlock();
                nextRowGroupSize = Math.min(file.getNextRowGroupSize(), rowGroupSizeThreshold);
            }
        } finally {
            columnStore.close();
            pageStore.close();
            columnStore = null;
            pageStore = null;
        }
    }

    /** Flushes the last row group and writes the footer (with Spark's key/value metadata). */
    void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            flushRowGroupToStore();
            Map<String, String> finalMetadata = new HashMap<>(extraMetaData);
            String modelName = writeSupport.getName();
            if (modelName != null) finalMetadata.put(ParquetWriter.OBJECT_MODEL_NAME_PROP, modelName);
            finalMetadata.putAll(writeSupport.finalizeWrite().getExtraMetaData());
            file.end(finalMetadata);
        } catch (IOException | RuntimeException e) {
            file.abort();
            throw e;
        } finally {
            file.close();
            codecs.release();
        }
    }

    /** After a failure: the stream closed without a footer (the caller deletes the file). */
    void abort() throws IOException {
        if (closed) return;
        closed = true;
        try {
            if (columnStore != null) columnStore.close();
            if (pageStore != null) pageStore.close();
            file.abort();
            file.close();
        } finally {
            codecs.release();
        }
    }
}
