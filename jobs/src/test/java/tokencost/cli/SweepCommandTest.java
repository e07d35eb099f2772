package tokencost.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.TestCatalogs;
import tokencost.catalog.CsvEditAccess;
import tokencost.conf.TokencostConf;
import tokencost.sweep.SweepPlan;
import tokencost.tables.Warehouse;
import tokencost.tables.WarehouseLock;

/** The sweep command refuses bad input before Spark starts, and a second writer cannot take the warehouse. */
class SweepCommandTest {
    @TempDir
    Path dir;

    @Test
    void badConfExitsTwoAndWritesNothing() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "tokencost.sweep {\n  modles = [all]\n  devices = [0]\n}\n");
        Path wh = dir.resolve("wh");
        var r = EstimateCommandTest.run("sweep", "--conf", conf.toString(), "--warehouse", wh.toString(), "--run-date", "2026-11-01");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("bad.conf:2: field 'tokencost.sweep.modles': unknown key (did you mean 'tokencost.sweep.models'?)"), r.err());
        assertTrue(r.err().contains("bad.conf:3: field 'tokencost.sweep.devices'"), r.err());
        assertFalse(Files.exists(wh), "nothing written: no warehouse, no table version");
    }

    @Test
    void badCatalogExitsTwoAndWritesNothing() {
        Path datasets = TestCatalogs.copyDatasets(dir.resolve("datasets"));
        CsvEditAccess.set(datasets.resolve("workloads.csv"), "chat", "ttft_slo_ms", "-1");
        Path wh = dir.resolve("wh");
        var r = EstimateCommandTest.run("sweep", "--datasets", datasets.toString(), "--warehouse", wh.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("workloads.csv") && r.err().contains("ttft_slo_ms") && r.err().contains("must be positive"), r.err());
        assertFalse(Files.exists(wh));
    }

    @Test
    void badScenariosFileExitsTwoForLifecycleAndRunAndWritesNothing() {
        Path datasets = TestCatalogs.copyDatasets(dir.resolve("datasets"));
        CsvEditAccess.set(datasets.resolve("scenarios.csv"), "llama-405b-chat-base", "pue", "0.8");
        CsvEditAccess.set(datasets.resolve("scenarios.csv"), "deepseek-v3-chat-growth", "model_id", "deepseek-v9");
        Path wh = dir.resolve("wh");
        for (String command : new String[] {"lifecycle", "run"}) {
            var r = EstimateCommandTest.run(command, "--datasets", datasets.toString(), "--warehouse", wh.toString());
            assertEquals(2, r.exit(), command);
            assertTrue(r.err().contains("scenarios.csv:2: field 'pue': '0.8' is out of range"), r.err());
            assertTrue(r.err().contains("scenarios.csv:5: field 'model_id': refers to unknown model 'deepseek-v9'"), r.err());
            assertFalse(Files.exists(wh), command + ": nothing written");
        }
    }

    @Test
    void gridTooLargeIsRefusedWithItsSize() throws Exception {
        Path conf = dir.resolve("big.conf");
        Files.writeString(conf, "include \"" + TestCatalogs.home().resolve("conf/fleet-weekly.conf") + "\"\ntokencost.sweep.max-cells = 1000000\n");
        var r = EstimateCommandTest.run("sweep", "--conf", conf.toString(), "--warehouse", dir.resolve("wh").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().matches("(?s).*the grid has [0-9,]{11,} cells .* above the limit of 1,000,000.*"), r.err());
    }

    @Test
    void fleetWeeklyIsHundredsOfMillionsOfCells() {
        TokencostConf c = TokencostConf.load(TestCatalogs.home().resolve("conf/fleet-weekly.conf"));
        long cells = SweepPlan.from(c, TestCatalogs.real()).cells();
        assertTrue(cells > 100_000_000L && cells <= c.longValue(TokencostConf.SWEEP_MAX_CELLS), String.valueOf(cells));
    }

    @Test
    void clusterConfIsTheFleetGridOnAnObjectStoreWithBundledCatalogs() {
        TokencostConf c = TokencostConf.load(TestCatalogs.home().resolve("conf/cluster.conf"));
        assertTrue(c.string(TokencostConf.WAREHOUSE_PATH).startsWith("s3a://"), c.string(TokencostConf.WAREHOUSE_PATH));
        assertEquals("", c.string(TokencostConf.CATALOG_DIR), "the catalogs bundled in the application jar");
        assertTrue(SweepPlan.from(c, tokencost.catalog.Catalog.load(tokencost.catalog.CatalogSource.bundled())).cells() > 100_000_000L);
        assertFalse(Warehouse.at(c.string(TokencostConf.WAREHOUSE_PATH), dir).isLocal());
    }

    @Test
    void secondWriterFailsWithAClearMessage() {
        Warehouse wh = Warehouse.at(dir.resolve("wh").toString(), dir);
        try (WarehouseLock held = WarehouseLock.acquire(wh, "2026-11-01-aaaaaaaa", 1)) {
            long t = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> WarehouseLock.acquire(wh, "2026-11-02-bbbbbbbb", 0.5));
            assertTrue((System.nanoTime() - t) / 1e9 >= 0.45, "it waited for the configured time first");
            assertTrue(e.getMessage().contains("another tokencost run holds the writer lock") && e.getMessage().contains("run 2026-11-01-aaaaaaaa"),
                    e.getMessage());
        }
        try (WarehouseLock again = WarehouseLock.acquire(wh, "2026-11-02-bbbbbbbb", 0)) {
            assertTrue(Files.exists(dir.resolve("wh").resolve(WarehouseLock.FILE)), "free again once released");
        }
    }
}
