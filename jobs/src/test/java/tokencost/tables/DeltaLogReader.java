package tokencost.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * An independent reader of a local Delta table: replays the JSON commits of _delta_log by hand (no Delta
 * code) and reads the live data files with parquet-avro (no Spark). What a plain reader would see.
 */
public final class DeltaLogReader {
    public JsonNode protocol;
    public JsonNode metadata;
    public final Set<String> liveFiles = new LinkedHashSet<>();
    public final List<JsonNode> addActions = new ArrayList<>();

    public static DeltaLogReader read(Path table) {
        DeltaLogReader r = new DeltaLogReader();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(table.resolve("_delta_log"))) {
            List<Path> commits = files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).sorted().toList();
            for (Path commit : commits) {
                for (String line : Files.readAllLines(commit)) {
                    if (line.isBlank()) continue;
                    JsonNode a = json.readTree(line);
                    if (a.has("protocol")) r.protocol = a.get("protocol");
                    if (a.has("metaData")) r.metadata = a.get("metaData");
                    if (a.has("add")) {
                        r.liveFiles.add(a.get("add").get("path").asText());
                        r.addActions.add(a.get("add"));
                    }
                    if (a.has("remove")) r.liveFiles.remove(a.get("remove").get("path").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }

    /** Rows in the live data files, read with parquet-avro; also checks each file's columns. */
    public long countRows(Path table, List<String> expectedColumns) {
        long n = 0;
        Configuration conf = new Configuration();
        // partition columns live in each add action's partitionValues, not in the files
        List<String> partitionColumns = new ArrayList<>();
        metadata.path("partitionColumns").forEach(c -> partitionColumns.add(c.asText()));
        List<String> fileColumns = expectedColumns.stream().filter(c -> !partitionColumns.contains(c)).toList();
        for (JsonNode add : addActions) {
            if (!liveFiles.contains(add.get("path").asText())) continue;
            for (String pc : partitionColumns) {
                if (add.path("partitionValues").path(pc).asText("").isEmpty()) throw new AssertionError(add + " has no value for " + pc);
            }
        }
        for (String f : liveFiles) {
            expectedColumns = fileColumns;
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(table.toUri().resolve(f));
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(p, conf)).build()) {
                GenericRecord rec;
                while ((rec = reader.read()) != null) {
                    if (n == 0 || expectedColumns != null) {
                        List<String> cols = rec.getSchema().getFields().stream().map(org.apache.avro.Schema.Field::name).toList();
                        List<String> withPartitions = new ArrayList<>(expectedColumns);
                        withPartitions.addAll(partitionColumns); // writers may also store partition values in the files
                        if (!cols.equals(expectedColumns) && !cols.equals(withPartitions)) throw new AssertionError(f + " has columns " + cols + ", expected " + expectedColumns);
                        expectedColumns = null; // checked once per file
                    }
                    n++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }
}
