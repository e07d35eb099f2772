package tokencost.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tokencost.catalog.Catalog;

@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "List the reference catalogs: models, hardware, workloads or optimizations.")
final class CatalogCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", defaultValue = "models", description = "models, hardware, workloads or optimizations. Default: ${DEFAULT-VALUE}.")
    String what;

    @Override
    public Integer call() {
        common.checkPaths().check();
        Catalog c = common.catalog(common.conf());
        List<List<Object>> rows = new ArrayList<>();
        switch (what) {
            case "models" -> {
                c.models().values().forEach(m -> rows.add(List.of(m.id(), m.paramsTotalB(), m.paramsActiveB(), m.layers(),
                        m.attentionKind().name(), m.kvHeads(), m.headDim(), m.contextTokens(),
                        m.trainingTokensT() == null ? "-" : m.trainingTokensT())));
                System.out.print(Text.table(List.of("model_id", "params_total_b", "params_active_b", "layers", "attention",
                        "kv_heads", "head_dim", "context_tokens", "training_tokens_t"), rows));
            }
            case "hardware" -> {
                c.hardware().values().forEach(h -> rows.add(java.util.Arrays.asList(h.id(), h.vendor(), h.peakTflopsBf16(),
                        h.peakTflopsFp8(), h.memoryGib(), h.memoryBwGbS(), h.powerW(), h.priceUsdPerHour(), h.purchaseUsd())));
                System.out.print(Text.table(List.of("hardware_id", "vendor", "tflops_bf16", "tflops_fp8", "memory_gib",
                        "memory_bw_gb_s", "power_w", "usd_per_hour", "purchase_usd"), rows));
            }
            case "workloads" -> {
                c.workloads().values().forEach(w -> rows.add(java.util.Arrays.asList(w.id(), w.inputTokens(), w.outputTokens(),
                        w.ttftSloMs(), w.tpotSloMs(), w.prefixCacheShare())));
                System.out.print(Text.table(List.of("workload_id", "input_tokens", "output_tokens", "ttft_slo_ms",
                        "tpot_slo_ms", "prefix_cache_share"), rows));
            }
            case "optimizations" -> {
                c.levers().values().forEach(l -> rows.add(List.of(l.id(), l.category().label(), l.parameters().toString())));
                System.out.print(Text.table(List.of("lever_id", "category", "parameters"), rows));
            }
            default -> throw new IllegalArgumentException("catalog takes models, hardware, workloads or optimizations, got '" + what + "'");
        }
        return 0;
    }
}
