package tokencost.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tokencost.catalog.Catalog;
import tokencost.catalog.Model;
import tokencost.catalog.Workload;
import tokencost.conf.TokencostConf;
import tokencost.engine.BatchChooser;
import tokencost.engine.EngineSettings;
import tokencost.engine.Estimate;
import tokencost.engine.InferenceEngine;
import tokencost.engine.OptimizationStack;
import tokencost.engine.StackParser;
import tokencost.engine.TrainingEngine;

@Command(name = "estimate", mixinStandardHelpOptions = true,
        description = "Cost, latency, throughput and energy of one serving configuration (or, with --training, of training) — no Spark.")
final class EstimateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--model", required = true, description = "Model id, e.g. llama-3.1-70b.")
    String model;

    @Option(names = "--hardware", required = true, description = "Hardware id, e.g. h100-sxm.")
    String hardware;

    @Option(names = "--devices", defaultValue = "1", description = "Devices per replica (tensor parallel within a node, pipeline across nodes). Default: ${DEFAULT-VALUE}.")
    int devices;

    @Option(names = "--workload", description = "Workload id, or custom:IN/OUT (token counts, no SLO). Required unless --training.")
    String workload;

    @Option(names = "--optimizations", defaultValue = "", description = "Levers joined by commas, e.g. fp8,continuous-batching,flash-attention,paged-kv,speculative-decoding:k=4,alpha=0.7.")
    String optimizations;

    @Option(names = "--batch", description = "Concurrent sequences. Default: the lowest-cost batch that meets the workload's SLO.")
    Integer batch;

    @Option(names = "--pricing", description = "auto, rent or own (default: the conf's tokencost.economics.pricing).")
    String pricing;

    @Option(names = "--training", description = "Estimate training compute, time and cost instead of serving.")
    boolean training;

    @Option(names = "--tokens", paramLabel = "TRILLIONS", description = "With --training: training tokens in trillions (default: the catalog's).")
    Double tokens;

    @Option(names = "--mfu", description = "With --training: model FLOPs utilisation (default: the conf's tokencost.training.mfu).")
    Double mfu;

    @Option(names = "--format", defaultValue = "table", description = "table or json. Default: ${DEFAULT-VALUE}.")
    String format;

    @Override
    public Integer call() {
        common.checkPaths().check();
        if (!format.equals("table") && !format.equals("json")) throw new IllegalArgumentException("--format must be table or json, got '" + format + "'");
        TokencostConf conf = common.conf();
        Catalog catalog = common.catalog(conf);
        EngineSettings cfg = conf.engineSettings();
        if (pricing != null) {
            try {
                cfg = cfg.withPricing(EngineSettings.Pricing.valueOf(pricing.toUpperCase()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--pricing must be auto, rent or own, got '" + pricing + "'");
            }
        }
        Model m = catalog.model(model);
        var hw = catalog.hardware(hardware);
        if (training) {
            if (mfu != null) {
                if (!(mfu > 0 && mfu <= 1)) throw new IllegalArgumentException("--mfu must be in (0, 1], got " + mfu);
                cfg = cfg.withTrainingMfu(mfu);
            }
            if (tokens != null && !(tokens > 0)) throw new IllegalArgumentException("--tokens must be positive, got " + tokens);
            var t = TrainingEngine.estimate(m, hw, devices, tokens, cfg);
            System.out.print(format.equals("json") ? Json.write(t.toMap()) + "\n" : Text.keyValues(t.toMap()));
            return 0;
        }
        if (workload == null) throw new IllegalArgumentException("--workload is required (an id, or custom:IN/OUT)");
        Workload w = parseWorkload(workload, catalog);
        OptimizationStack stack;
        try {
            stack = StackParser.parse(optimizations, catalog);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(tokencost.sweep.SweepPlan.withLeverHint(e.getMessage(), catalog), e);
        }
        Estimate e;
        if (batch != null) {
            e = InferenceEngine.estimate(m, hw, devices, w, stack, batch, cfg);
        } else {
            e = BatchChooser.best(m, hw, devices, w, stack, cfg);
        }
        System.out.print(format.equals("json") ? Json.write(e.toMap()) + "\n" : Text.keyValues(e.toMap()));
        return 0;
    }

    static Workload parseWorkload(String spec, Catalog catalog) {
        if (spec.startsWith("custom:")) {
            String[] parts = spec.substring("custom:".length()).split("/");
            try {
                if (parts.length != 2) throw new IllegalArgumentException("");
                int in = tokencost.catalog.WholeNumbers.parseInt(parts[0].trim());
                int out = tokencost.catalog.WholeNumbers.parseInt(parts[1].trim());
                if (in < 1 || out < 1) throw new IllegalArgumentException("");
                return Workload.custom(in, out);
            } catch (IllegalArgumentException e) {
                String why = e.getMessage() == null || e.getMessage().isEmpty() ? "" : ": " + e.getMessage();
                throw new IllegalArgumentException("--workload custom:IN/OUT needs two positive whole numbers, got "
                        + tokencost.catalog.Problem.quote(spec) + why);
            }
        }
        return catalog.workload(spec);
    }
}
