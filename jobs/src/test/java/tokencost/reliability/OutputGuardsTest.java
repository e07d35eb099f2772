package tokencost.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Date;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;
import tokencost.lifecycle.LifecycleJob;
import tokencost.tables.DeltaLogReader;
import tokencost.tables.DeltaTables;
import tokencost.tables.RowMapper;
import tokencost.tables.TableContract;
import tokencost.tables.Warehouse;

/** No NaN, no infinity, no broken invariant reaches a table: each is refused before the commit, naming the row. */
class OutputGuardsTest extends SparkTestBase {
    @TempDir
    Path dir;

    static Object[] fleetRow(double devices, double power) {
        return new Object[] {"2026-11-26-guard", "s1", 7, "h100-sxm", Date.valueOf("2026-11-26"), devices, 0, "own", 0.0, 0.0, 10.0, power};
    }

    @Test
    void aNonFiniteNumberFromTheEngineFailsTheRowNamingItsKey() {
        TableContract c = TableContract.load(LifecycleJob.FLEET);
        RowMapper.Builder<Object[]> b = RowMapper.forTable(c);
        for (int i = 0; i < c.columns().size(); i++) {
            int k = i;
            b.col(c.columns().get(i), v -> v[k]);
        }
        RowMapper<Object[]> mapper = b.build();
        assertEquals(12, mapper.toRow(fleetRow(8, 0.01)).size());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> mapper.toRow(fleetRow(8, Double.NaN)));
        assertTrue(e.getMessage().contains("table fleet_forecast: power_mw = NaN for the row (run_id=2026-11-26-guard, scenario=s1, month=7, "
                + "hardware=h100-sxm)"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> mapper.toRow(fleetRow(Double.POSITIVE_INFINITY, 1)));
    }

    @Test
    void deltaCheckConstraintsRefuseBadRowsBeforeTheCommitAndNameTheKey() {
        Warehouse wh = Warehouse.at(dir.resolve("guards").toString(), dir);
        DeltaTables t = new DeltaTables(spark(), wh, List.of(LifecycleJob.FLEET, LifecycleJob.CROSSOVER));
        t.ensureAll();
        TableContract fleet = t.contract(LifecycleJob.FLEET);
        t.replaceRun(LifecycleJob.FLEET, "2026-11-26-guard", spark().createDataFrame(List.of(RowFactory.create(fleetRow(8, 0.01))), fleet.sparkSchema()));
        long version = t.version(LifecycleJob.FLEET);

        for (Object[] bad : List.of(fleetRow(-1, 0.01), fleetRow(8, Double.NaN), fleetRow(8, Double.POSITIVE_INFINITY))) {
            List<Row> rows = List.of(RowFactory.create(fleetRow(8, 0.02)), RowFactory.create(bad));
            Exception e = assertThrows(Exception.class, () -> t.replaceRun(LifecycleJob.FLEET, "2026-11-26-guard",
                    spark().createDataFrame(rows, fleet.sparkSchema())));
            String m = String.valueOf(e.getMessage());
            assertTrue(m.contains("CHECK constraint") && m.contains("2026-11-26-guard") && m.contains("s1") && m.contains("h100-sxm"),
                    "the message names the constraint and the row's key: " + m);
            assertEquals(version, t.version(LifecycleJob.FLEET), "nothing committed");
        }
        assertEquals(1, t.read(LifecycleJob.FLEET).count(), "the good rows stand");
        Map<String, String> checks = fleet.checks();
        assertTrue(checks.containsKey("fleet_non_negative") && checks.containsKey("fleet_forecast_finite"), checks.toString());
        var log = DeltaLogReader.read(Path.of(t.path(LifecycleJob.FLEET)));
        assertEquals(1, log.protocol.get("minReaderVersion").asInt(), "CHECK constraints raise the writer protocol only");
    }

    @Test
    void constraintsAreAddedOnceAndAnOlderFormIsReplaced() {
        Warehouse wh = Warehouse.at(dir.resolve("once").toString(), dir);
        DeltaTables t = new DeltaTables(spark(), wh, List.of(LifecycleJob.FLEET));
        t.ensureAll();
        long created = t.version(LifecycleJob.FLEET);
        t.ensureAll();
        assertEquals(created, t.version(LifecycleJob.FLEET), "an unchanged contract adds no commit (Delta re-formats the stored text)");

        String ref = "delta.`" + t.path(LifecycleJob.FLEET) + "`";
        spark().sql("ALTER TABLE " + ref + " DROP CONSTRAINT fleet_non_negative");
        spark().sql("ALTER TABLE " + ref + " ADD CONSTRAINT fleet_non_negative CHECK (devices >= -1)");
        t.ensureAll();
        String stored = DeltaLogReader.read(Path.of(t.path(LifecycleJob.FLEET))).metadata.get("configuration")
                .get("delta.constraints.fleet_non_negative").asText();
        assertTrue(t.sameExpression(stored, t.contract(LifecycleJob.FLEET).checks().get("fleet_non_negative")),
                "the older form is replaced by the contract's: " + stored);
        assertTrue(!t.sameExpression("devices >= -1", "devices >= 0") && t.sameExpression("(a > 0) AND b", "a>0 and `b`"));
    }
}
