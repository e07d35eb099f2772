package tokencost.engine;

import java.util.ArrayList;
import java.util.List;
import tokencost.catalog.Catalog;
import tokencost.catalog.ThroughputMeasurement;
import tokencost.catalog.Workload;

/**
 * The engine's predictions next to published serving throughput. The published runs are throughput
 * benchmarks with a production serving stack (in-flight batching, paged KV, fused attention); the
 * precision column picks the weight and KV precision levers.
 */
public final class Calibration {
    private Calibration() {}

    /** Levers every published throughput run used besides its precision. */
    public static final String SERVING_STACK = "continuous-batching,flash-attention,paged-kv";

    public record Row(ThroughputMeasurement measured, Estimate predicted, double error) {
        /** Predicted / measured. */
        public double ratio() {
            return predicted.outputTokS() == null ? 0.0 : predicted.outputTokS() / measured.value();
        }
    }

    public static String stackFor(String precision) {
        return switch (precision) {
            case "fp8" -> "fp8,fp8-kv," + SERVING_STACK;
            case "int8" -> "int8,int8-kv," + SERVING_STACK;
            case "bf16", "fp16" -> "bf16," + SERVING_STACK;
            case "int4" -> "int4," + SERVING_STACK;
            default -> throw new IllegalArgumentException("no stack for precision '" + precision + "'");
        };
    }

    public static List<Row> run(Catalog catalog, List<ThroughputMeasurement> measurements, EngineSettings cfg) {
        List<Row> rows = new ArrayList<>();
        for (ThroughputMeasurement t : measurements) {
            if (!t.metric().equals("total_output_tok_s")) continue;
            OptimizationStack stack = StackParser.parse(stackFor(t.precision()), catalog);
            Workload w = Workload.custom(t.inputTokens(), t.outputTokens());
            Estimate e = BatchChooser.best(catalog.model(t.model()), catalog.hardware(t.hardware()), t.devices(), w, stack, cfg);
            double predicted = e.outputTokS() == null ? 0.0 : e.outputTokS();
            rows.add(new Row(t, e, (predicted - t.value()) / t.value()));
        }
        return rows;
    }

    public static double medianAbsoluteError(List<Row> rows) {
        double[] errs = rows.stream().mapToDouble(r -> Math.abs(r.error())).sorted().toArray();
        if (errs.length == 0) return 0.0;
        int n = errs.length;
        return n % 2 == 1 ? errs[n / 2] : (errs[n / 2 - 1] + errs[n / 2]) / 2.0;
    }
}
