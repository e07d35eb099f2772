package tokencost.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tokencost.catalog.Catalog;
import tokencost.catalog.ThroughputMeasurement;
import tokencost.conf.TokencostConf;
import tokencost.engine.Calibration;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Compare the engine's throughput with published measurements (datasets/calibration/).")
final class CalibrateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.checkPaths().check();
        TokencostConf conf = common.conf();
        Catalog catalog = common.catalog(conf);
        var measurements = ThroughputMeasurement.load(common.catalogSource(conf), catalog);
        var rows = Calibration.run(catalog, measurements, conf.engineSettings());
        List<List<Object>> table = new ArrayList<>();
        for (var r : rows) {
            var m = r.measured();
            table.add(java.util.Arrays.asList(m.model(), m.hardware(), m.devices(), m.precision(),
                    m.inputTokens() + "/" + m.outputTokens(), m.value(), r.predicted().outputTokS(), r.predicted().batch(),
                    r.predicted().bound(), String.format("%+.0f%%", 100 * r.error())));
        }
        System.out.print(Text.table(List.of("model", "hardware", "devices", "precision", "in/out", "published_tok_s",
                "predicted_tok_s", "batch", "bound", "error"), table));
        System.out.printf("rows %d, median absolute error %.1f%%, worst ratio %.2fx%n", rows.size(),
                100 * Calibration.medianAbsoluteError(rows),
                rows.stream().mapToDouble(r -> Math.max(r.ratio(), 1 / Math.max(r.ratio(), 1e-9))).max().orElse(1));
        return 0;
    }
}
