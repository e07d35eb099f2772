package tokencost.sweep;

import java.sql.Date;
import java.time.LocalDate;
import java.util.function.Function;
import tokencost.catalog.Hardware;
import tokencost.catalog.Model;
import tokencost.catalog.Workload;
import tokencost.engine.Estimate;
import tokencost.engine.OptimizationStack;
import tokencost.tables.RowMapper;
import tokencost.tables.TableContract;
import tokencost.tables.TypedRowMapper;

/** How the sweep's values become rows of each table (columns as named in the contracts). */
public final class SweepRows {
    public static final String GRID = "inference_grid";
    public static final String FRONTIER = "inference_frontier";
    public static final String PARETO = "inference_pareto";
    public static final String IMPACT = "optimization_impact";
    public static final String DIM_MODEL = "dim_model";
    public static final String DIM_HARDWARE = "dim_hardware";
    public static final String DIM_WORKLOAD = "dim_workload";
    public static final String DIM_STACK = "dim_optimization_stack";

    private SweepRows() {}

    /** A grid cell with the workload's token mix (for the blended cost). */
    public record Cell(Estimate e, int inputTokens, int outputTokens) {}

    public record FrontierRow(SliceEvaluator.Summary slice, SliceEvaluator.Frontier frontier) {}

    public record ParetoRow(SliceEvaluator.Summary slice, int rank, Estimate point) {}

    public record ImpactRow(SliceEvaluator.Summary slice, SliceEvaluator.Impact impact) {}

    /**
     * The grid's columns (all but run_id, which the write adds): typed, so a cell becomes a row without boxing.
     * Most cells are written through this, so it is the sweep's hottest code after the engine.
     */
    /** A cell's performance, cost and energy exist when it fits (they are stored unboxed; see Estimate.Performance). */
    private static final TypedRowMapper.SerializablePredicate<Cell> FITS = c -> c.e().fits();

    public static TypedRowMapper<Cell> grid(LocalDate runDate) {
        return TypedRowMapper.<Cell>forTable(TableContract.load(GRID))
                .constantDate("run_date", runDate)
                .string("model", c -> c.e().model()).string("hardware", c -> c.e().hardware()).string("workload", c -> c.e().workload())
                .string("optimization_stack", c -> c.e().optimizationStack()).integer("devices", c -> c.e().devices())
                .integer("batch", c -> c.e().batch()).integer("tensor_parallel", c -> c.e().tensorParallel())
                .integer("pipeline_parallel", c -> c.e().pipelineParallel()).string("compute_precision", c -> c.e().computePrecision())
                .bool("fits", c -> c.e().fits()).nullableBool("slo_met", c -> c.e().sloMet()).string("reason", c -> c.e().verdict().label())
                .number("weights_gb", c -> c.e().weightsGb()).number("weights_gb_per_device", c -> c.e().weightsGbPerDevice())
                .number("kv_bytes_per_token", c -> c.e().kvBytesPerToken()).number("kv_gb_per_request", c -> c.e().kvGbPerRequest())
                .integer("max_batch", c -> c.e().maxBatch()).nullableInteger("min_devices", c -> c.e().minDevices())
                .number("memory_used_gb_per_device", c -> c.e().memoryUsedGbPerDevice())
                .nullableNumber("ttft_ms", FITS, c -> c.e().performance().ttftMs()).nullableNumber("tpot_ms", FITS, c -> c.e().performance().tpotMs())
                .nullableNumber("output_tok_s", FITS, c -> c.e().performance().outputTokS())
                .nullableNumber("output_tok_s_per_device", FITS, c -> c.e().performance().outputTokSPerDevice())
                .string("bound", c -> c.e().bound().label()).nullableNumber("mfu", FITS, c -> c.e().performance().mfu())
                .nullableNumber("bandwidth_utilization", FITS, c -> c.e().performance().bandwidthUtilization())
                .nullableString("pricing", c -> c.e().pricing()).nullableNumber("cost_usd_per_hour", FITS, c -> c.e().cost().costUsdPerHour())
                .nullableNumber("cost_usd_per_mtok_in", FITS, c -> c.e().cost().costUsdPerMtokIn())
                .nullableNumber("cost_usd_per_mtok_out", FITS, c -> c.e().cost().costUsdPerMtokOut())
                .nullableNumber("cost_usd_per_mtok_blended", FITS, c -> c.e().blendedCostUsdPerMtok(c.inputTokens(), c.outputTokens()))
                .nullableNumber("energy_j_per_tok", FITS, c -> c.e().energy().energyJPerTok())
                .nullableNumber("energy_j_per_tok_in", FITS, c -> c.e().energy().energyJPerTokIn())
                .nullableNumber("energy_j_per_tok_out", FITS, c -> c.e().energy().energyJPerTokOut())
                .nullableNumber("accepted_tokens_per_step", c -> c.e().acceptedTokensPerStep())
                .build();
    }

    public static RowMapper<FrontierRow> frontier(String runId, LocalDate runDate) {
        Date date = Date.valueOf(runDate);
        RowMapper.Builder<FrontierRow> b = RowMapper.<FrontierRow>forTable(TableContract.load(FRONTIER))
                .col("run_id", r -> runId).col("run_date", r -> date)
                .col("model", r -> r.slice().model().id()).col("hardware", r -> r.slice().hardware().id())
                .col("workload", r -> r.slice().workload().id()).col("optimization_stack", r -> r.frontier().stack().id())
                .col("cells", r -> r.frontier().cells()).col("cells_fitting", r -> r.frontier().fitting())
                .col("cells_meeting_slo", r -> r.frontier().meetingSlo()).col("meets_slo", r -> r.frontier().best() != null);
        best(b, "best_", r -> r.frontier().best());
        best(b, "max_throughput_", r -> r.frontier().maxThroughput());
        return b.build();
    }

    private static void best(RowMapper.Builder<FrontierRow> b, String p, Function<FrontierRow, Estimate> pick) {
        b.col(p + "devices", of(pick, Estimate::devices))
         .col(p + "batch", of(pick, Estimate::batch))
         .col(p + "ttft_ms", of(pick, Estimate::ttftMs))
         .col(p + "tpot_ms", of(pick, Estimate::tpotMs))
         .col(p + "output_tok_s_per_device", of(pick, Estimate::outputTokSPerDevice))
         .col(p + "cost_usd_per_mtok_in", of(pick, Estimate::costUsdPerMtokIn))
         .col(p + "cost_usd_per_mtok_out", of(pick, Estimate::costUsdPerMtokOut))
         .col(p + "cost_usd_per_mtok_blended", r -> {
             Estimate e = pick.apply(r);
             return e == null ? null : e.costUsdPerMtokBlended(r.slice().workload().inputTokens(), r.slice().workload().outputTokens());
         })
         .col(p + "energy_j_per_tok", of(pick, Estimate::energyJPerTok));
    }

    /** A column of the picked cell, null when no cell was picked. */
    private static Function<FrontierRow, Object> of(Function<FrontierRow, Estimate> pick, Function<Estimate, Object> value) {
        return r -> {
            Estimate e = pick.apply(r);
            return e == null ? null : value.apply(e);
        };
    }

    public static RowMapper<ParetoRow> pareto(String runId, LocalDate runDate) {
        Date date = Date.valueOf(runDate);
        return RowMapper.<ParetoRow>forTable(TableContract.load(PARETO))
                .col("run_id", r -> runId).col("run_date", r -> date)
                .col("model", r -> r.slice().model().id()).col("hardware", r -> r.slice().hardware().id())
                .col("workload", r -> r.slice().workload().id()).col("rank", ParetoRow::rank)
                .col("optimization_stack", r -> r.point().optimizationStack()).col("devices", r -> r.point().devices())
                .col("batch", r -> r.point().batch()).col("tpot_ms", r -> r.point().tpotMs()).col("ttft_ms", r -> r.point().ttftMs())
                .col("output_tok_s_per_device", r -> r.point().outputTokSPerDevice())
                .col("cost_usd_per_mtok_blended", r -> r.point().costUsdPerMtokBlended(r.slice().workload().inputTokens(),
                        r.slice().workload().outputTokens()))
                .col("cost_usd_per_mtok_out", r -> r.point().costUsdPerMtokOut()).col("slo_met", r -> r.point().sloMet())
                .build();
    }

    public static RowMapper<ImpactRow> impact(String runId, LocalDate runDate) {
        Date date = Date.valueOf(runDate);
        return RowMapper.<ImpactRow>forTable(TableContract.load(IMPACT))
                .col("run_id", r -> runId).col("run_date", r -> date)
                .col("model", r -> r.slice().model().id()).col("hardware", r -> r.slice().hardware().id())
                .col("workload", r -> r.slice().workload().id()).col("variant", r -> r.impact().variant())
                .col("optimization_stack", r -> r.impact().stack()).col("meets_slo", r -> r.impact().best() != null)
                .col("devices", r -> r.impact().best() == null ? null : r.impact().best().devices())
                .col("batch", r -> r.impact().best() == null ? null : r.impact().best().batch())
                .col("cost_usd_per_mtok_blended", r -> r.impact().best() == null ? null
                        : r.impact().best().costUsdPerMtokBlended(r.slice().workload().inputTokens(), r.slice().workload().outputTokens()))
                .col("cost_vs_baseline", r -> r.impact().costVsBaseline())
                .col("tpot_ms", r -> r.impact().best() == null ? null : r.impact().best().tpotMs())
                .build();
    }

    public static RowMapper<Model> dimModel(String runId, LocalDate runDate) {
        Date date = Date.valueOf(runDate);
        return RowMapper.<Model>forTable(TableContract.load(DIM_MODEL))
                .col("run_id", m -> runId).col("run_date", m -> date).col("model", Model::id)
                .col("display_name", Model::displayName).col("family", Model::family).col("release_year", Model::releaseYear)
                .col("params_total_b", Model::paramsTotalB).col("params_active_b", Model::paramsActiveB).col("layers", Model::layers)
                .col("hidden_size", Model::hiddenSize).col("attention_kind", m -> m.attentionKind().name()).col("kv_heads", Model::kvHeads)
                .col("head_dim", Model::headDim).col("context_tokens", Model::contextTokens)
                .col("moe_experts_total", Model::moeExpertsTotal).col("moe_experts_active", Model::moeExpertsActive)
                .col("training_tokens_t", Model::trainingTokensT).col("training_compute_flop", Model::trainingComputeFlop)
                .col("source", Model::source).build();
    }

    public static RowMapper<Hardware> dimHardware(String runId, LocalDate runDate) {
        Date date = Date.valueOf(runDate);
        return RowMapper.<Hardware>forTable(TableContract.load(DIM_HARDWARE))
                .col("run_id", h -> runId).col("run_date", h -> date).col("hardware", Hardware::id)
                .col("display_name", Hardware::displayName).col("vendor", Hardware::vendor).col("family", Hardware::family)
                .col("device_class", Hardware::deviceClass).col("release_year", Hardware::releaseYear)
                .col("peak_tflops_bf16", Hardware::peakTflopsBf16).col("peak_tflops_fp8", Hardware::peakTflopsFp8)
                .col("peak_tflops_int8", Hardware::peakTflopsInt8).col("peak_tflops_fp4", Hardware::peakTflopsFp4)
                .col("memory_gib", Hardware::memoryGib).col("memory_bw_gb_s", Hardware::memoryBwGbS)
                .col("interconnect_gb_s", Hardware::interconnectGbS).col("devices_per_node", Hardware::devicesPerNode)
                .col("power_w", Hardware::powerW).col("price_usd_per_hour", Hardware::priceUsdPerHour)
                .col("purchase_usd", Hardware::purchaseUsd).col("compute_efficiency", Hardware::computeEfficiency)
                .col("memory_efficiency", Hardware::memoryEfficiency).col("source", Hardware::source).build();
    }

    public static RowMapper<Workload> dimWorkload(String runId, LocalDate runDate) {
        Date date = Date.valueOf(runDate);
        return RowMapper.<Workload>forTable(TableContract.load(DIM_WORKLOAD))
                .col("run_id", w -> runId).col("run_date", w -> date).col("workload", Workload::id)
                .col("display_name", Workload::displayName).col("input_tokens", Workload::inputTokens)
                .col("output_tokens", Workload::outputTokens).col("ttft_slo_ms", Workload::ttftSloMs)
                .col("tpot_slo_ms", Workload::tpotSloMs).col("prefix_cache_share", Workload::prefixCacheShare).build();
    }

    public static RowMapper<OptimizationStack> dimStack(String runId, LocalDate runDate) {
        Date date = Date.valueOf(runDate);
        return RowMapper.<OptimizationStack>forTable(TableContract.load(DIM_STACK))
                .col("run_id", s -> runId).col("run_date", s -> date).col("optimization_stack", OptimizationStack::id)
                .col("levers", s -> String.join(",", s.levers())).col("weight_bits", OptimizationStack::effectiveWeightBits)
                .col("compute_precision", s -> s.computePrecision().label()).col("kv_bits", OptimizationStack::kvBits)
                .col("continuous_batching", OptimizationStack::continuousBatching).col("flash_attention", OptimizationStack::flashAttention)
                .col("paged_kv", OptimizationStack::pagedKv).col("prefix_cache", OptimizationStack::prefixCache)
                .col("speculative_decoding", OptimizationStack::speculative)
                .col("draft_tokens", s -> s.speculative() ? s.draftTokens() : null)
                .col("acceptance_rate", s -> s.speculative() ? s.acceptanceRate() : null).build();
    }
}
