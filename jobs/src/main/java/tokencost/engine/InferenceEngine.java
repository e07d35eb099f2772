package tokencost.engine;

import tokencost.catalog.AttentionKind;
import tokencost.catalog.ComputePrecision;
import tokencost.catalog.Hardware;
import tokencost.catalog.KernelEfficiency;
import tokencost.catalog.Model;
import tokencost.catalog.Workload;

/**
 * Serving physics and economics for one configuration: model on {@code devices} accelerators, a workload,
 * an optimization stack and a batch (concurrent sequences). Pure functions, no Spark.
 *
 * <p>Each forward pass is a per-operator roofline: linear layers take max(FLOPs / achievable peak,
 * weight bytes / achievable bandwidth), attention takes max(attention FLOPs / peak, KV bytes / bandwidth);
 * the two run one after the other, and tensor-parallel all-reduces add to both. Devices up to the node size
 * are tensor parallel; beyond it, nodes form pipeline stages.
 */
public final class InferenceEngine {

    private static final double MS_PER_S = 1e3;
    private static final double W_PER_KW = 1e3;
    private static final double BYTES_PER_GB = 1e9;
    private static final double US_PER_S = 1e6;

    private InferenceEngine() {}

    /** Tensor-parallel size within a node and pipeline stages across nodes. */
    public record Parallelism(int tp, int pp) {}

    /** Whether a device count can form a replica of some model: up to one node, or whole nodes. */
    public static boolean validDevices(Hardware hw, int devices) {
        return devices >= 1 && (devices <= hw.devicesPerNode() || devices % hw.devicesPerNode() == 0);
    }

    /** Whether a device count can form a replica of this model: as above, and no more pipeline stages than layers. */
    public static boolean validDevices(Model m, Hardware hw, int devices) {
        return validDevices(hw, devices) && (devices <= hw.devicesPerNode() || devices / hw.devicesPerNode() <= m.layers());
    }

    /**
     * Whether a request needs more positions than the model's context window: producing the last output token
     * attends to the prompt and every output token before it.
     */
    public static boolean exceedsContext(Model m, Workload w) {
        return (long) w.inputTokens() + w.outputTokens() - 1 > m.contextTokens();
    }

    /** Fewest devices as a table value: null when no device count holds one request. */
    private static Integer minDevicesOrNull(int minDevices) {
        return minDevices > 0 ? minDevices : null;
    }

    /** The cell of a device count that cannot form a replica: kept in grids, with its reason. */
    public static Estimate invalidDevices(Model m, Hardware hw, int devices, Workload w, OptimizationStack s, int batch,
                                          int minDevices) {
        double weights = ModelMath.weightBytes(m, s);
        Estimate.Config config = new Estimate.Config(m.id(), hw.id(), devices, 0, 0, w.id(), s.id(), batch, "given",
                computePrecision(hw, s).label());
        Estimate.MemoryUse memory = new Estimate.MemoryUse(false, weights / BYTES_PER_GB, weights / devices / BYTES_PER_GB,
                ModelMath.kvBytesPerToken(m, s.kvBits()),
                ModelMath.kvBytesForContext(m, s.kvBits(), w.inputTokens() + w.outputTokens()) / BYTES_PER_GB, 0, 0,
                minDevicesOrNull(minDevices), weights / devices / BYTES_PER_GB, 0);
        return new Estimate(config, memory, Estimate.Performance.NONE, Estimate.Cost.NONE, Estimate.Energy.NONE,
                missedSlo(w), Verdict.INVALID_DEVICES);
    }

    public static Parallelism parallelism(Hardware hw, int devices) {
        if (devices < 1) throw new IllegalArgumentException("devices must be at least 1, got " + devices);
        int node = hw.devicesPerNode();
        if (devices <= node) return new Parallelism(devices, 1);
        if (devices % node != 0) {
            throw new IllegalArgumentException("devices " + devices + " exceeds one " + hw.id() + " node of " + node
                    + " and is not a multiple of it: use up to " + node + " or a multiple of " + node);
        }
        return new Parallelism(node, devices / node);
    }

    /** The compute format actually used: the lever's wish if the hardware has it natively, else 16-bit. */
    public static ComputePrecision computePrecision(Hardware hw, OptimizationStack s) {
        return hw.supports(s.computePrecision()) ? s.computePrecision() : ComputePrecision.BF16;
    }

    /** Memory layout of a configuration: what fits and how many sequences can be in flight. */
    public record Memory(double usableBytesPerDevice, double weightBytesPerDevice, double workspaceBytesPerDevice,
                         double kvReservedBytesPerRequestPerDevice, int maxBatch) {}

    public static Memory memory(Model m, Hardware hw, int devices, Workload w, OptimizationStack s, EngineSettings cfg) {
        Parallelism par = parallelism(hw, devices);
        double usable = hw.memoryBytes() * cfg.memoryUsableFraction();
        double weights = ModelMath.weightBytes(m, s) / devices;
        double actBytes = s.baselineBits() / ModelMath.BITS_PER_BYTE;
        double workspace = 0;
        if (!s.flashAttention()) {
            // Standard attention materialises one layer's score matrix for the prefill chunk in HBM.
            double chunk = Math.min(prefillTokens(w, s), cfg.maxPrefillTokens());
            double context = w.inputTokens();
            workspace = (double) m.attentionHeads() / par.tp() * chunk * context * actBytes;
        }
        double kvPerRequest = ModelMath.kvBytesForContext(m, s.kvBits(), averageContext(w))
                / s.kvUtilization() / kvShards(m, par) / par.pp();
        double free = usable - weights - workspace;
        int maxBatch = free <= 0 || exceedsContext(m, w) ? 0 : (int) Math.min(cfg.maxBatch(), Math.floor(free / kvPerRequest));
        return new Memory(usable, weights, workspace, kvPerRequest, maxBatch);
    }

    /** Fewest devices (powers of two within a node, then whole nodes doubling) that hold one request; -1 if none up to the limit. */
    public static int minDevices(Model m, Hardware hw, Workload w, OptimizationStack s, EngineSettings cfg) {
        final int limit = 1 << 20;
        for (int d = 1; d <= limit; d *= 2) {
            int devices = d <= hw.devicesPerNode() ? d : roundUpToNodes(d, hw.devicesPerNode());
            if (memory(m, hw, devices, w, s, cfg).maxBatch() >= 1) return devices;
        }
        return -1;
    }

    private static int roundUpToNodes(int d, int node) {
        return ((d + node - 1) / node) * node;
    }

    public static Estimate estimate(Model m, Hardware hw, int devices, Workload w, OptimizationStack s, int batch,
                                    EngineSettings cfg) {
        return estimate(m, hw, devices, w, s, batch, cfg, minDevices(m, hw, w, s, cfg));
    }

    /** As {@link #estimate}, with the configuration's fewest devices already known (sweeps compute it once). */
    public static Estimate estimate(Model m, Hardware hw, int devices, Workload w, OptimizationStack s, int batch,
                                    EngineSettings cfg, int minDevices) {
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        if (!validDevices(m, hw, devices)) return invalidDevices(m, hw, devices, w, s, batch, minDevices);
        Parallelism par = parallelism(hw, devices);
        ComputePrecision precision = computePrecision(hw, s);
        Memory mem = memory(m, hw, devices, w, s, cfg);
        double weightsBytes = ModelMath.weightBytes(m, s);
        double kvPerToken = ModelMath.kvBytesPerToken(m, s.kvBits());
        double kvPerRequestGb = ModelMath.kvBytesForContext(m, s.kvBits(), w.inputTokens() + w.outputTokens()) / BYTES_PER_GB;
        boolean fits = batch <= mem.maxBatch();
        double usedPerDevice = mem.weightBytesPerDevice() + mem.workspaceBytesPerDevice()
                + batch * mem.kvReservedBytesPerRequestPerDevice();
        Estimate.Config config = new Estimate.Config(m.id(), hw.id(), devices, par.tp(), par.pp(), w.id(), s.id(), batch,
                "given", precision.label());

        if (!fits) {
            Verdict v = exceedsContext(m, w) ? Verdict.NO_FIT_CONTEXT
                    : mem.weightBytesPerDevice() >= mem.usableBytesPerDevice() ? Verdict.NO_FIT_WEIGHTS
                    : mem.maxBatch() == 0 ? Verdict.NO_FIT_KV : Verdict.NO_FIT_BATCH;
            return new Estimate(config, memoryUse(mem, false, weightsBytes, kvPerToken, kvPerRequestGb, usedPerDevice, minDevices),
                    Estimate.Performance.NONE, Estimate.Cost.NONE, Estimate.Energy.NONE, missedSlo(w), v);
        }

        Pass.Ctx ctx = new Pass.Ctx(m, hw, s, par, precision, cfg, s.runtime().forVendor(hw.vendor()));
        double in = w.inputTokens();
        double out = w.outputTokens();
        double newPrompt = prefillTokens(w, s);
        double cachedPrompt = in - newPrompt;
        double decodeContext = averageContext(w);
        double tokensPerStep = s.expectedTokensPerStep();
        double verified = s.speculative() ? s.draftTokens() + 1 : 1; // tokens per sequence a target step computes
        double targetSteps = out / tokensPerStep;                    // target steps a request decodes for
        double stageFrac = 1.0 / par.pp();

        // Prefill of one request alone, in chunks of the iteration budget: the latency floor of its first token.
        Pass prefillOne = Pass.run(ctx, 1, newPrompt, cachedPrompt, 1.0, chunks(newPrompt, cfg));
        double prefillOneS = prefillOne.time() + (par.pp() - 1) * ctx.hopTime(Math.min(newPrompt, cfg.maxPrefillTokens()));

        Pass prefillWork;   // device work attributed to prefill over one cycle of the batch
        Pass decodeWork;    // device work attributed to decode over one cycle
        double cycleS;
        double decodeS;
        double tpotS;
        double ttftS;
        if (s.continuousBatching()) {
            // Iteration-level scheduling with chunked prefill (vLLM, TensorRT-LLM in-flight batching, SGLang):
            // every forward pass carries the running sequences' decode tokens plus prompt chunks of arriving
            // requests, up to the iteration token budget, so prompts share the decode's weight reads.
            double budget = cfg.maxPrefillTokens();
            double decodeTokens = batch * verified;
            double cycleTokens = batch * newPrompt + targetSteps * decodeTokens;
            double steps = Math.max(targetSteps, cycleTokens / Math.max(budget, decodeTokens));
            double decodingSeqs = batch * targetSteps / steps;       // sequences decoding in an average pass
            double promptTokens = batch * newPrompt / steps;        // prompt tokens in an average pass
            double promptSeqs = batch / steps;                       // requests whose prefill an average pass advances
            double micro = 1.0 / par.pp();                           // each pipeline stage holds 1/pp of the batch
            Pass.Mix mix = new Pass.Mix(decodingSeqs * micro, verified, decodeContext, promptTokens * micro,
                    promptSeqs * micro * ModelMath.attendedPositions(m, cachedPrompt, newPrompt),
                    promptSeqs * micro * ModelMath.kvTokensStored(m, cachedPrompt), promptSeqs * micro);
            Pass stage = withDrafts(ctx, Pass.mixed(ctx, mix, stageFrac), decodingSeqs * micro, decodeContext, stageFrac);
            Pass pass = stage.times(par.pp());
            double passS = pass.time() + (par.pp() - 1) * ctx.hopTime((decodingSeqs * verified + promptTokens) * micro);
            cycleS = steps * passS;
            // Prefill's share of the cycle: its share of the FLOPs (the convention for cost and energy per input token).
            double promptShare = prefillFlopShare(mix, m);
            prefillWork = pass.times(steps * promptShare);
            decodeWork = pass.times(steps * (1 - promptShare));
            decodeS = cycleS * (1 - promptShare);
            tpotS = cycleS / out;
            double freeBudget = Math.max(budget - decodingSeqs * verified, budget / 8);
            ttftS = Math.max(prefillOneS, Math.ceil(newPrompt / freeBudget) * passS) + passS;
        } else {
            // Request-level batches: the batch's prompts run first (in chunks), then it decodes until its longest
            // request ends; slots of finished requests idle.
            Pass prefillAll = Pass.run(ctx, batch, newPrompt, cachedPrompt, stageFrac, chunks(batch * newPrompt, cfg));
            double micro = (double) batch / par.pp();
            Pass stage = withDrafts(ctx, Pass.run(ctx, micro, verified, decodeContext, stageFrac, 1), micro, decodeContext, stageFrac);
            Pass step = stage.times(par.pp());
            double stepS = step.time() + (par.pp() - 1) * ctx.hopTime(micro);
            double steps = targetSteps / s.staticSlotUtilization();
            double prefillS = prefillAll.time() + (par.pp() - 1) * ctx.hopTime(micro);
            decodeS = steps * stepS;
            cycleS = prefillS + decodeS;
            prefillWork = prefillAll;
            decodeWork = step.times(steps);
            tpotS = stepS / tokensPerStep;
            ttftS = prefillS;
        }
        double prefillS = cycleS - decodeS;
        double outputTokS = batch * out / cycleS;

        double usdPerHour = devices * usdPerDeviceHour(hw, cfg);
        double usdPerS = usdPerHour / Units.SECONDS_PER_HOUR / cfg.utilization();
        double costIn = usdPerS * prefillS / (batch * in) * Units.TOKENS_PER_MTOK;
        double costOut = usdPerS * decodeS / (batch * out) * Units.TOKENS_PER_MTOK;
        double watts = devices * wallWattsPerDevice(hw, cfg.powerFractionOfTdp(), cfg.pue());
        double energyIn = watts * prefillS / (batch * in);
        double energyOut = watts * decodeS / (batch * out);
        double energyAll = watts * cycleS / (batch * (in + out));

        // Utilisation over a full cycle, per device: everything a device computes or moves vs its peak.
        Pass all = prefillWork.plus(decodeWork);
        double mfu = all.flops() / (cycleS * hw.peakFlopsOf(precision));
        double bwUtil = all.bytes() / (cycleS * hw.memoryBandwidthBytesPerS());
        double computeS = all.computeBoundTime();
        double memoryS = all.memoryBoundTime();
        double commS = all.commTime();
        Bound bound = commS >= computeS && commS >= memoryS ? Bound.INTERCONNECT : computeS >= memoryS ? Bound.COMPUTE : Bound.MEMORY;

        double ttftMs = ttftS * MS_PER_S;
        double tpotMs = tpotS * MS_PER_S;
        Boolean sloMet = null;
        Verdict verdict = Verdict.NO_SLO;
        if (w.hasSlo()) {
            boolean ttftMiss = ttftMs > w.ttftSloMs();
            boolean tpotMiss = tpotMs > w.tpotSloMs();
            verdict = ttftMiss && tpotMiss ? Verdict.SLO_BOTH : ttftMiss ? Verdict.SLO_TTFT : tpotMiss ? Verdict.SLO_TPOT : Verdict.OK;
            sloMet = verdict == Verdict.OK;
        }
        return new Estimate(config, memoryUse(mem, true, weightsBytes, kvPerToken, kvPerRequestGb, usedPerDevice, minDevices),
                new Estimate.Performance(ttftMs, tpotMs, outputTokS, outputTokS / devices, bound, mfu, bwUtil,
                        s.speculative() ? tokensPerStep : null),
                new Estimate.Cost(pricingUsed(hw, cfg).label(), usdPerHour, costIn, costOut),
                new Estimate.Energy(energyAll, energyIn, energyOut),
                new Estimate.Slo(sloMet, w.ttftSloMs(), w.tpotSloMs()), verdict);
    }

    private static Estimate.MemoryUse memoryUse(Memory mem, boolean fits, double weightsBytes, double kvPerToken,
                                                double kvPerRequestGb, double usedPerDevice, int minDevices) {
        return new Estimate.MemoryUse(fits, weightsBytes / BYTES_PER_GB, mem.weightBytesPerDevice() / BYTES_PER_GB,
                kvPerToken, kvPerRequestGb, mem.kvReservedBytesPerRequestPerDevice() / BYTES_PER_GB, mem.maxBatch(),
                minDevicesOrNull(minDevices), usedPerDevice / BYTES_PER_GB, mem.usableBytesPerDevice() / BYTES_PER_GB);
    }

    /** A configuration that does not run misses the workload's SLO, if it has one. */
    private static Estimate.Slo missedSlo(Workload w) {
        return new Estimate.Slo(w.hasSlo() ? Boolean.FALSE : null, w.ttftSloMs(), w.tpotSloMs());
    }

    /** Prompt tokens that must be computed: a prefix cache serves the workload's shared share. */
    static double prefillTokens(Workload w, OptimizationStack s) {
        double share = s.prefixCache() ? w.prefixCacheShare() : 0.0;
        return Math.max(1.0, w.inputTokens() * (1.0 - share));
    }

    /** Mean context of a decoding sequence: the prompt plus half the output on average. */
    static double averageContext(Workload w) {
        return w.inputTokens() + w.outputTokens() / 2.0;
    }

    private static int kvShards(Model m, Parallelism par) {
        // MLA's latent is shared by all heads and so replicated on every tensor-parallel rank;
        // K/V heads split across ranks but are replicated once ranks outnumber them.
        return m.attentionKind() == AttentionKind.MLA ? 1 : Math.min(par.tp(), m.kvHeads());
    }

    private static double chunks(double tokens, EngineSettings cfg) {
        return Math.max(1.0, Math.ceil(tokens / cfg.maxPrefillTokens()));
    }

    public static EngineSettings.Pricing pricingUsed(Hardware hw, EngineSettings cfg) {
        return switch (cfg.pricing()) {
            case RENT -> EngineSettings.Pricing.RENT;
            case OWN -> EngineSettings.Pricing.OWN;
            case AUTO -> hw.priceUsdPerHour() != null ? EngineSettings.Pricing.RENT : EngineSettings.Pricing.OWN;
        };
    }

    /** USD per device-hour: the hourly rental price, or capex written off over its years plus electricity. */
    public static double usdPerDeviceHour(Hardware hw, EngineSettings cfg) {
        if (pricingUsed(hw, cfg) == EngineSettings.Pricing.RENT) {
            if (hw.priceUsdPerHour() == null) {
                throw new IllegalArgumentException(hw.id() + " has no hourly price in datasets/hardware.csv: use --pricing own");
            }
            return hw.priceUsdPerHour();
        }
        if (hw.purchaseUsd() == null) {
            throw new IllegalArgumentException(hw.id() + " has no purchase price in datasets/hardware.csv: use --pricing rent");
        }
        double capex = hw.purchaseUsd() / (cfg.amortizationYears() * Units.HOURS_PER_YEAR);
        return capex + electricityUsdPerDeviceHour(hw, cfg);
    }

    /** Electricity of one owned device-hour while serving, data-centre overhead (PUE) included. */
    public static double electricityUsdPerDeviceHour(Hardware hw, EngineSettings cfg) {
        return wallWattsPerDevice(hw, cfg.powerFractionOfTdp(), cfg.pue()) / W_PER_KW * cfg.electricityUsdPerKwh();
    }

    /** One device's draw while working, data-centre overhead (PUE) included: the one formula for power. */
    public static double wallWattsPerDevice(Hardware hw, double powerFractionOfTdp, double pue) {
        return hw.powerW() * powerFractionOfTdp * pue;
    }

    /**
     * A target pass preceded, under speculative decoding, by the k draft passes of its decoding sequences
     * (the draft model as a fraction of the target's layers); without it, the pass alone.
     */
    private static Pass withDrafts(Pass.Ctx c, Pass target, double decodingSeqs, double context, double stageFrac) {
        OptimizationStack s = c.s();
        if (!s.speculative()) return target;
        Pass draft = Pass.run(c, decodingSeqs, 1, context, stageFrac * s.draftLayers() / c.m().layers(), 1);
        return draft.times(s.draftTokens()).plus(target);
    }

    /** Prompt tokens' share of a mixed pass's FLOPs: linear FLOPs go by tokens, attention by query-key pairs. */
    private static double prefillFlopShare(Pass.Mix mix, Model m) {
        double lin = ModelMath.flopsPerToken(m);
        double attn = ModelMath.attentionFlopsPerQueryKey(m) * m.layers();
        double decodePairs = mix.decodeSeqs() * ModelMath.attendedPositions(m, mix.decodeContext(), mix.decodeTokens());
        double prompt = lin * mix.promptTokens() + attn * mix.promptAttended();
        double decode = lin * mix.decodeSeqs() * mix.decodeTokens() + attn * decodePairs;
        return prompt + decode <= 0 ? 0.0 : prompt / (prompt + decode);
    }

    /**
     * One forward pass on one device of the group, and its roofline split. Immutable; {@link #times} and
     * {@link #plus} compose passes (speculative steps, pipeline stages).
     */
    record Pass(double time, double flops, double bytes, double computeBoundTime, double memoryBoundTime, double commTime) {

        record Ctx(Model m, Hardware hw, OptimizationStack s, Parallelism par, ComputePrecision precision, EngineSettings cfg,
                   KernelEfficiency k) {
            /**
             * Matmul rate for GEMMs of {@code rows} tokens: the measured fraction of peak times the runtime's share (at
             * most the peak), times M / (M + M½).
             */
            double linearPeak(double rows) {
                // Weight-only quantization (W4A16, GGUF) dequantizes in the GEMM's inner loop: compute it pays for.
                double dequant = weightOnly() ? k.weightOnlyGemmEfficiency() : 1.0;
                return hw.peakFlopsOf(precision) * atMostPeak(hw.computeEfficiency(precision) * k.gemmEfficiency())
                        * k.gemmSizeShare(rows) * dequant;
            }

            boolean weightOnly() {
                return precision == ComputePrecision.BF16 && s.effectiveWeightBits() < s.baselineBits();
            }

            /** Fused attention runs at FP8 when the KV cache is 8-bit and the device has FP8 tensor cores, else 16-bit. */
            double attentionPeak() {
                ComputePrecision p = s.kvBits() <= 8 && hw.supports(ComputePrecision.FP8) ? ComputePrecision.FP8 : ComputePrecision.BF16;
                return hw.peakFlopsOf(p) * atMostPeak(hw.computeEfficiency(p) * k.attentionEfficiency());
            }

            double bandwidth() {
                return hw.memoryBandwidthBytesPerS() * atMostPeak(hw.memoryEfficiency() * k.bandwidthEfficiency());
            }

            /**
             * A runtime's fitted share of the device's measured fraction may exceed 1 (its kernels beat the microbenchmark),
             * but nothing runs faster than the device's peak.
             */
            private static double atMostPeak(double fractionOfPeak) {
                return Math.min(1.0, fractionOfPeak);
            }

            double actBytes() {
                return s.baselineBits() / ModelMath.BITS_PER_BYTE;
            }

            /** Activations of {@code tokens} tokens crossing to the next pipeline stage. */
            double hopTime(double tokens) {
                return tokens * m.hiddenSize() * actBytes() / hw.interconnectBytesPerS() + cfg.collectiveLatencyUs() / US_PER_S;
            }
        }

        /**
         * What a mixed (continuous-batching) pass carries: decoding sequences with their new tokens at a context,
         * plus prompt tokens of arriving requests with the query-key pairs and cached-prefix KV they attend to.
         */
        record Mix(double decodeSeqs, double decodeTokens, double decodeContext, double promptTokens, double promptAttended,
                   double promptKvRead, double promptSeqs) {}

        /**
         * @param seqs        sequences in the pass
         * @param newTokens   tokens computed per sequence
         * @param prior       tokens already in each sequence's KV cache
         * @param layerFrac   fraction of the model's layers this device group runs
         * @param weightReads how many passes the work takes (prefill chunks): weights stream once per pass
         */
        static Pass run(Ctx c, double seqs, double newTokens, double prior, double layerFrac, double weightReads) {
            Model m = c.m();
            double attended = seqs * ModelMath.attendedPositions(m, prior, newTokens);
            double kvRead = seqs * ModelMath.kvTokensStored(m, prior);
            return core(c, seqs, seqs * newTokens, attended, kvRead, layerFrac, weightReads);
        }

        static Pass mixed(Ctx c, Mix x, double layerFrac) {
            Model m = c.m();
            double decodeTokens = x.decodeSeqs() * x.decodeTokens();
            double attended = x.decodeSeqs() * ModelMath.attendedPositions(m, x.decodeContext(), x.decodeTokens()) + x.promptAttended();
            double kvRead = x.decodeSeqs() * ModelMath.kvTokensStored(m, x.decodeContext()) + x.promptKvRead();
            return core(c, x.decodeSeqs() + x.promptSeqs(), decodeTokens + x.promptTokens(), attended, kvRead, layerFrac, 1);
        }

        /**
         * @param seqs     sequences the pass carries (each costs the runtime's per-sequence time per pass)
         * @param tokens   rows through the linear layers (all passes together)
         * @param attended query-key pairs, layer-averaged
         * @param kvRead   tokens of KV cache read, layer-averaged
         * @param passes   forward passes the work is split into (each streams the weights and pays the fixed step time)
         */
        private static Pass core(Ctx c, double seqs, double tokens, double attended, double kvRead, double layerFrac, double passes) {
            Model m = c.m();
            OptimizationStack s = c.s();
            int tp = c.par().tp();
            double layers = m.layers() * layerFrac;
            double rows = tokens / passes;

            // Routed experts see only the tokens routed to them: their GEMMs are smaller (lower M) than the dense ones.
            double matmulParams = ModelMath.matmulParamsPerToken(m);
            double routed = m.isMoe() ? ModelMath.paramsPerExpert(m) * m.moeExpertsActive() : 0.0;
            double expertRows = m.isMoe() ? rows * m.moeExpertsActive() / m.moeExpertsTotal() : rows;
            double scale = 2.0 * tokens * layerFrac / tp; // 2 FLOP per matmul parameter per token (ModelMath.flopsPerToken)
            double linFlops = scale * matmulParams;
            double linCompute = scale * (matmulParams - routed) / c.linearPeak(rows)
                    + (routed > 0 ? scale * routed / c.linearPeak(Math.max(expertRows, 1.0)) : 0.0);
            double linBytes = ModelMath.weightBytesTouched(m, s, rows) * passes * layerFrac / tp;
            double linMemory = linBytes / c.bandwidth();

            double attnFlops = ModelMath.attentionFlopsPerQueryKey(m) * attended * layers / tp;
            double kvPerTokenLayer = ModelMath.kvElementsPerTokenPerLayer(m) * s.kvBits() / ModelMath.BITS_PER_BYTE;
            double kvBytes = (kvRead + tokens) * kvPerTokenLayer * layers / kvShards(m, c.par());
            double scoreBytes = s.flashAttention() ? 0.0
                    : s.standardAttentionPasses() * m.attentionHeads() * attended * c.actBytes() * layers / tp;
            double attnBytes = kvBytes + scoreBytes;
            double attnCompute = attnFlops / c.attentionPeak();
            double attnMemory = attnBytes / c.bandwidth();

            double comm = 0.0;
            if (tp > 1) {
                // Two all-reduces per layer (after attention and after the MLP), ring algorithm.
                double message = tokens * m.hiddenSize() * c.actBytes();
                double perAllReduce = 2.0 * (tp - 1) / tp * message / (c.hw().interconnectBytesPerS() * c.k().allreduceEfficiency())
                        + passes * c.cfg().collectiveLatencyUs() / US_PER_S;
                comm = 2.0 * layers * perAllReduce;
            }
            double computeBound = (linCompute >= linMemory ? linCompute : 0) + (attnCompute >= attnMemory ? attnCompute : 0);
            double memoryBound = (linCompute < linMemory ? linMemory : 0) + (attnCompute < attnMemory ? attnMemory : 0);
            double overhead = passes * layerFrac * (c.k().stepOverheadUs() + seqs * c.k().sequenceOverheadUs()) / US_PER_S;
            return new Pass(computeBound + memoryBound + comm + overhead, linFlops + attnFlops, linBytes + attnBytes,
                    computeBound, memoryBound + overhead, comm);
        }

        Pass times(double n) {
            return new Pass(time * n, flops * n, bytes * n, computeBoundTime * n, memoryBoundTime * n, commTime * n);
        }

        Pass plus(Pass o) {
            return new Pass(time + o.time, flops + o.flops, bytes + o.bytes, computeBoundTime + o.computeBoundTime,
                    memoryBoundTime + o.memoryBoundTime, commTime + o.commTime);
        }
    }
}
