package tokencost.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tokencost.TestCatalogs;
import tokencost.catalog.CatalogSource;
import tokencost.catalog.ThroughputMeasurement;

/** The engine against every published throughput row (datasets/calibration, copied from shared/calibration). */
class CalibrationTest {

    @Test
    void publishedThroughputIsReproduced() {
        var catalog = TestCatalogs.real();
        List<ThroughputMeasurement> rows = ThroughputMeasurement.load(CatalogSource.directory(TestCatalogs.datasets()), catalog);
        assertEquals(11, rows.size(), "every row of the published table");
        List<Calibration.Row> result = Calibration.run(catalog, rows, TestCatalogs.settings());
        StringBuilder report = new StringBuilder();
        for (Calibration.Row r : result) {
            report.append(String.format("%n%s %s x%d %d/%d: published %.0f, predicted %s (%+.0f%%)", r.measured().model(),
                    r.measured().hardware(), r.measured().devices(), r.measured().inputTokens(), r.measured().outputTokens(),
                    r.measured().value(), r.predicted().outputTokS(), 100 * r.error()));
        }
        System.out.println("calibration:" + report);
        for (Calibration.Row r : result) {
            assertTrue(r.predicted().fits(), "every published setting fits in the engine too:" + report);
            assertTrue(r.ratio() <= 2.0 && r.ratio() >= 0.5, "no row off by more than 2x:" + report);
        }
        double median = Calibration.medianAbsoluteError(result);
        assertTrue(median <= 0.20, "median absolute error " + median + report);
    }
}
