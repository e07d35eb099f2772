package tokencost.tables;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;

/** A table written under an older contract follows the current one: a column that became nullable loses NOT NULL. */
class ContractMigrationTest extends SparkTestBase {
    @TempDir
    Path dir;

    @Test
    void aColumnTheContractNowAllowsNullLosesItsNotNull() {
        Warehouse wh = Warehouse.at(dir.resolve("wh").toString(), dir);
        DeltaTables tables = new DeltaTables(spark(), wh, List.of("inference_grid"));
        String ddl = tables.contract("inference_grid").ddlColumns().replace("`min_devices` INT", "`min_devices` INT NOT NULL");
        sql("CREATE TABLE delta.`%s` (%s) USING delta PARTITIONED BY (run_id)", tables.path("inference_grid"), ddl); // the older contract
        assertFalse(tables.read("inference_grid").schema().apply("min_devices").nullable());
        new DeltaTables(spark(), wh, List.of("inference_grid")).ensureAll();
        assertTrue(tables.read("inference_grid").schema().apply("min_devices").nullable(), "min_devices may be null again");
    }
}
