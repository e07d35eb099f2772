package tokencost.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import tokencost.tables.DeltaLogReader;

/**
 * What a crash test compares, read from each table's _delta_log by hand (what any reader sees; no Spark, no Delta
 * code): its latest version, and its live rows per run (a table not created yet: version -1 and no rows).
 */
record WarehouseState(Map<String, Long> versions, Map<String, Map<String, Long>> rowsPerRun) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static WarehouseState of(Path warehouse, Iterable<String> tables) {
        Map<String, Long> versions = new LinkedHashMap<>();
        Map<String, Map<String, Long>> rows = new LinkedHashMap<>();
        for (String t : tables) {
            Path table = warehouse.resolve(t);
            long version = latestCommit(table);
            versions.put(t, version);
            Map<String, Long> perRun = new LinkedHashMap<>();
            if (version >= 0) {
                DeltaLogReader log = DeltaLogReader.read(table);
                for (JsonNode add : log.addActions) {
                    if (!log.liveFiles.contains(add.get("path").asText())) continue;
                    perRun.merge(add.path("partitionValues").path("run_id").asText(), records(add), Long::sum);
                }
            }
            rows.put(t, perRun);
        }
        return new WarehouseState(versions, rows);
    }

    private static long latestCommit(Path table) {
        Path log = table.resolve("_delta_log");
        if (!Files.isDirectory(log)) return -1;
        try (Stream<Path> files = Files.list(log)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json"))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElse(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's row count from its statistics (every writer of these tables records numRecords). */
    private static long records(JsonNode add) {
        try {
            return JSON.readTree(add.get("stats").asText()).get("numRecords").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The state right after a run died ({@code atFault}, this being the state before the run) and after the next run of
     * the same id wrote {@code complete} rows per table ({@code after}): at the fault each table read at its previous
     * version (on a first run: not created yet, or created empty) or held the run's complete rows; after the re-run each
     * holds exactly the run's complete rows, and every other run's rows are as they were. Rows lost: 0.
     */
    void assertRecovered(WarehouseState atFault, WarehouseState after, Map<String, Long> complete, String runId) {
        for (Map.Entry<String, Long> c : complete.entrySet()) {
            String t = c.getKey();
            boolean untouched = atFault.version(t) == version(t) || (version(t) < 0 && atFault.version(t) <= 0);
            long atFaultRows = atFault.rows(t, runId);
            assertTrue(untouched ? atFaultRows == rows(t, runId) : atFaultRows == c.getValue(),
                    t + " after the fault: its previous version (" + version(t) + ") or the run's " + c.getValue() + " rows, not "
                            + atFaultRows + " rows at version " + atFault.version(t));
            assertEquals(c.getValue(), after.rows(t, runId), t + ": the next run's rows");
            for (Map.Entry<String, Long> other : rowsPerRun.getOrDefault(t, Map.of()).entrySet()) {
                if (other.getKey().equals(runId)) continue;
                assertEquals(other.getValue(), after.rows(t, other.getKey()), t + ": run " + other.getKey() + " intact");
            }
        }
    }

    long version(String table) {
        return versions.get(table);
    }

    long rows(String table, String runId) {
        return rowsPerRun.getOrDefault(table, Map.of()).getOrDefault(runId, 0L);
    }
}
