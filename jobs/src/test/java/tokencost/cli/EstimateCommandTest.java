package tokencost.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.TestCatalogs;
import tokencost.catalog.CsvEditAccess;

/** The CLI end to end, in-process: exit codes, JSON keys, messages. */
class EstimateCommandTest {

    record Result(int exit, String out, String err) {}

    static Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void jsonHasTheContractKeys() throws Exception {
        Result r = run("estimate", "--model", "llama-3.1-70b", "--hardware", "h100-sxm", "--devices", "2", "--workload", "chat",
                "--optimizations", "fp8,continuous-batching,flash-attention,paged-kv", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String k : List.of("model", "hardware", "devices", "batch", "fits", "weights_gb", "kv_bytes_per_token",
                "kv_gb_per_request", "max_batch", "ttft_ms", "tpot_ms", "output_tok_s", "output_tok_s_per_device", "bound",
                "mfu", "cost_usd_per_mtok_in", "cost_usd_per_mtok_out", "energy_j_per_tok", "slo_met", "reason")) {
            assertTrue(j.has(k), "missing key " + k);
        }
        assertEquals("llama-3.1-70b", j.get("model").asText());
        assertEquals(327_680, j.get("kv_bytes_per_token").asInt());
        assertTrue(j.get("slo_met").asBoolean());
        assertEquals("lowest cost meeting the SLO", j.get("batch_choice").asText());
    }

    @Test
    void impossibleRequestsAndDeviceCountsAreCellsThatDoNotFitWithAReasonAndNoSentinels() throws Exception {
        Result tooLong = run("estimate", "--model", "llama-3.1-70b", "--hardware", "h100-sxm", "--devices", "64",
                "--workload", "custom:300000/10", "--format", "json");
        assertEquals(0, tooLong.exit(), tooLong.err());
        JsonNode j = new ObjectMapper().readTree(tooLong.out());
        assertFalse(j.get("fits").asBoolean());
        assertTrue(j.get("min_devices").isNull(), "null, not -1: " + j.get("min_devices"));
        assertTrue(j.get("reason").asText().contains("context window"), j.get("reason").asText());
        Result tooMany = run("estimate", "--model", "llama-3.1-70b", "--hardware", "h100-sxm", "--devices", "1000000000",
                "--workload", "chat", "--format", "json");
        assertEquals(0, tooMany.exit(), tooMany.err());
        JsonNode k = new ObjectMapper().readTree(tooMany.out());
        assertFalse(k.get("fits").asBoolean());
        assertTrue(k.get("cost_usd_per_hour").isNull(), k.toString());
        assertTrue(k.get("reason").asText().contains("pipeline stages"), k.get("reason").asText());
    }

    @Test
    void givenBatchAndCustomWorkload() throws Exception {
        Result r = run("estimate", "--model", "llama-3.1-8b", "--hardware", "h200-sxm", "--workload", "custom:128/2048",
                "--optimizations", "fp8,fp8-kv,continuous-batching,flash-attention,paged-kv", "--batch", "64", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(64, j.get("batch").asInt());
        assertTrue(j.get("slo_met").isNull(), "no SLO on a custom workload");
        assertEquals("given", j.get("batch_choice").asText());
    }

    @Test
    void trainingEstimate() throws Exception {
        Result r = run("estimate", "--training", "--model", "llama-3.1-405b", "--hardware", "h100-sxm", "--devices", "16384",
                "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(3.8e25, j.get("training_flop").asDouble(), 1e23);
        assertTrue(j.get("days").asDouble() > 50 && j.get("days").asDouble() < 100, r.out());
    }

    @Test
    void tableFormatIsReadable() {
        Result r = run("estimate", "--model", "mistral-7b", "--hardware", "apple-m4-max", "--workload", "on-device-assistant",
                "--optimizations", "int4,flash-attention,paged-kv,continuous-batching", "--batch", "1");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("pricing") && r.out().contains("own"), r.out());
    }

    @Test
    void badInputsExitNonZeroWithClearMessages() {
        Result unknown = run("estimate", "--model", "llama-5", "--hardware", "h100-sxm", "--workload", "chat");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown model 'llama-5'"), unknown.err());
        Result stack = run("estimate", "--model", "llama-3.1-8b", "--hardware", "h100-sxm", "--workload", "chat",
                "--optimizations", "fp8,int8");
        assertEquals(2, stack.exit());
        assertTrue(stack.err().contains("cannot stack"), stack.err());
        Result custom = run("estimate", "--model", "llama-3.1-8b", "--hardware", "h100-sxm", "--workload", "custom:12");
        assertEquals(2, custom.exit());
        assertTrue(custom.err().contains("custom:IN/OUT"), custom.err());
    }

    @Test
    void badCatalogStopsEverything(@TempDir Path dir) {
        Path datasets = TestCatalogs.copyDatasets(dir.resolve("datasets"));
        CsvEditAccess.set(datasets.resolve("models.csv"), "llama-3.1-8b", "layers", "-32");
        CsvEditAccess.set(datasets.resolve("hardware.csv"), "h100-sxm", "memory_gib", "lots");
        Result r = run("estimate", "--datasets", datasets.toString(), "--model", "llama-3.1-8b", "--hardware", "h100-sxm",
                "--workload", "chat");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("2 problems"), r.err());
        assertTrue(r.err().contains("models.csv") && r.err().contains("field 'layers'") && r.err().contains("must be positive"), r.err());
        assertTrue(r.err().contains("hardware.csv") && r.err().contains("'lots' is not a number"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void helpListsEverySubcommand() {
        Result r = run("--help");
        assertEquals(0, r.exit());
        for (String sub : List.of("run", "sweep", "lifecycle", "benchmark", "estimate", "catalog", "validate", "calibrate")) assertTrue(r.out().contains(sub), r.out());
    }
    @Test
    void messagesSayWhatHappened() {
        Result model = run("estimate", "--model", "Llama-3.1-8B", "--hardware", "h100-sxm", "--workload", "chat");
        assertEquals(2, model.exit());
        assertEquals("error: unknown model 'Llama-3.1-8B' (did you mean 'llama-3.1-8b'?)", model.err().strip());
        Result lever = run("estimate", "--model", "llama-3.1-8b", "--hardware", "h100-sxm", "--workload", "chat", "--optimizations", "FP8,paged-kv");
        assertEquals(2, lever.exit());
        assertTrue(lever.err().startsWith("error: unknown optimization 'FP8' (did you mean 'fp8'?)"), lever.err());
        Result devices = run("estimate", "--model", "llama-3.1-8b", "--hardware", "h100-sxm", "--workload", "chat", "--devices", "99999999999");
        assertEquals(2, devices.exit());
        assertTrue(devices.err().startsWith("Invalid value for option '--devices': '99999999999' is too large for a whole number (at most 2147483647)"),
                devices.err());
        Result custom = run("estimate", "--model", "llama-3.1-8b", "--hardware", "h100-sxm", "--workload", "custom:99999999999/16");
        assertEquals(2, custom.exit());
        assertTrue(custom.err().contains("'99999999999' is too large for a whole number (at most 2147483647)"), custom.err());
    }

    @Test
    void confWarningsGoToStderrAndStrictMakesThemErrors(@TempDir Path dir) throws Exception {
        Path conf = java.nio.file.Files.writeString(dir.resolve("w.conf"),
                "tokencost.engine.max-batch = 64\ntokencost.engine.max-batch = 128\ninclude \"local.conf\"\n");
        String[] estimate = {"estimate", "--conf", conf.toString(), "--model", "llama-3.1-8b", "--hardware", "h100-sxm", "--workload", "chat"};
        Result r = run(estimate);
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("warning: " + conf + ":2: field 'tokencost.engine.max-batch': set twice with different values: 128 here, 64 on line 1 (the later one wins)",
                "warning: " + conf + ":3: included file 'local.conf' does not exist (looked for " + dir.resolve("local.conf")
                        + "): skipped (a plain include may be missing; include required(\"...\") makes it an error)"), r.err().lines().toList());
        assertTrue(r.out().contains("llama-3.1-8b"), "the estimate is printed");

        String[] strict = java.util.stream.Stream.concat(java.util.Arrays.stream(estimate), java.util.stream.Stream.of("--strict")).toArray(String[]::new);
        Result s = run(strict);
        assertEquals(2, s.exit(), s.err());
        assertTrue(s.err().startsWith("error: 2 problems in the input; nothing was computed:\n  - " + conf + ":2: field 'tokencost.engine.max-batch'"), s.err());
        assertEquals("", s.out());
        for (String command : List.of("validate", "sweep", "lifecycle", "run", "calibrate", "catalog", "notebooks", "history", "sql", "benchmark")) {
            assertTrue(run(command, "--help").out().contains("--strict"), command + " takes --strict with --conf");
        }
    }
}
