package tokencost.engine;

import tokencost.catalog.AttentionKind;
import tokencost.catalog.ComputePrecision;
import tokencost.catalog.Hardware;
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
    private static final double HOURS_PER_YEAR = 8760.0;
    private static final double W_PER_KW = 1e3;
    private static final double BYTES_PER_GB = 1e9;
    private static final double US_PER_S = 1e6;

    private InferenceEngine() {}

    /** Tensor-parallel size within a node and pipeline stages across nodes. */
    public record Parallelism(int tp, int pp) {}

    /** Whether a device count can form a replica: up to one node, or whole nodes. */
    public static boolean validDevices(Hardware hw, int devices) {
        return devices >= 1 && (devices <= hw.devicesPerNode() || devices % hw.devicesPerNode() == 0);
    }

    /** The cell of a device count that cannot form a replica: kept in grids, with its reason. */
    public static Estimate invalidDevices(Model m, Hardware hw, int devices, Workload w, OptimizationStack s, int batch,
                                          int minDevices) {
        double weights = ModelMath.weightBytes(m, s);
        return new Estimate(m.id(), hw.id(), devices, 0, 0, w.id(), s.id(), batch, "given",
                computePrecision(hw, s).name().toLowerCase(), false, weights / BYTES_PER_GB, weights / devices / BYTES_PER_GB,
                ModelMath.kvBytesPerToken(m, s.kvBits()),
                ModelMath.kvBytesForContext(m, s.kvBits(), w.inputTokens() + w.outputTokens()) / BYTES_PER_GB, 0, 0, minDevices,
                weights / devices / BYTES_PER_GB, 0, null, null, null, null, "capacity", null, null, null, null, null, null,
                null, null, null, null, w.hasSlo() ? Boolean.FALSE : null, w.ttftSloMs(), w.tpotSloMs(), Verdict.INVALID_DEVICES);
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
        return hw.peakFlops(s.computePrecision()) != null ? s.computePrecision() : ComputePrecision.BF16;
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
        int maxBatch = free <= 0 ? 0 : (int) Math.min(cfg.maxBatch(), Math.floor(free / kvPerRequest));
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
        Parallelism par = parallelism(hw, devices);
        ComputePrecision precision = computePrecision(hw, s);
        Memory mem = memory(m, hw, devices, w, s, cfg);
        double weightsBytes = ModelMath.weightBytes(m, s);
        double kvPerToken = ModelMath.kvBytesPerToken(m, s.kvBits());
        double kvPerRequestGb = ModelMath.kvBytesForContext(m, s.kvBits(), w.inputTokens() + w.outputTokens()) / BYTES_PER_GB;
        boolean fits = batch <= mem.maxBatch();
        double usedPerDevice = mem.weightBytesPerDevice() + mem.workspaceBytesPerDevice()
                + batch * mem.kvReservedBytesPerRequestPerDevice();
        String precisionName = precision.name().toLowerCase();

        if (!fits) {
            Verdict v = mem.weightBytesPerDevice() >= mem.usableBytesPerDevice() ? Verdict.NO_FIT_WEIGHTS
                    : mem.maxBatch() == 0 ? Verdict.NO_FIT_KV : Verdict.NO_FIT_BATCH;
            return new Estimate(m.id(), hw.id(), devices, par.tp(), par.pp(), w.id(), s.id(), batch, "given",
                    precisionName, false, weightsBytes / BYTES_PER_GB, mem.weightBytesPerDevice() / BYTES_PER_GB,
                    kvPerToken, kvPerRequestGb, mem.kvReservedBytesPerRequestPerDevice() / BYTES_PER_GB, mem.maxBatch(),
                    minDevices, usedPerDevice / BYTES_PER_GB, mem.usableBytesPerDevice() / BYTES_PER_GB,
                    null, null, null, null, "capacity", null, null, null, null, null, null, null, null, null, null,
                    w.hasSlo() ? Boolean.FALSE : null, w.ttftSloMs(), w.tpotSloMs(), v);
        }

        Pass.Ctx ctx = new Pass.Ctx(m, hw, s, par, precision, cfg);
        double in = w.inputTokens();
        double out = w.outputTokens();
        double newPrompt = prefillTokens(w, s);
        double cachedPrompt = in - newPrompt;
        double decodeContext = averageContext(w);

        // Prefill: one request alone (its latency), and the whole batch's prompts (device busy time).
        Pass prefillOne = Pass.run(ctx, 1, newPrompt, cachedPrompt, 1.0, chunks(newPrompt, cfg));
        double prefillOneS = prefillOne.time() + (par.pp() - 1) * ctx.hopTime(newPrompt);
        Pass prefillAll = Pass.run(ctx, batch, newPrompt, cachedPrompt, 1.0 / par.pp(), chunks(batch * newPrompt, cfg));

        // Decode: pipeline stages each see batch/pp sequences; a token crosses every stage.
        double micro = (double) batch / par.pp();
        double stageFrac = 1.0 / par.pp();
        Pass step;
        double tokensPerStep = s.expectedTokensPerStep();
        if (s.speculative()) {
            Pass draft = Pass.run(ctx, micro, 1, decodeContext, stageFrac * s.draftLayers() / m.layers(), 1);
            Pass verify = Pass.run(ctx, micro, s.draftTokens() + 1, decodeContext, stageFrac, 1);
            step = draft.times(s.draftTokens()).plus(verify);
        } else {
            step = Pass.run(ctx, micro, 1, decodeContext, stageFrac, 1);
        }
        step = step.times(par.pp());
        double stepS = step.time() + (par.pp() - 1) * ctx.hopTime(micro);
        double stepPerTokenS = stepS / tokensPerStep;

        double decodeS;
        double tpotS;
        double ttftS;
        if (s.continuousBatching()) {
            // Prompts of arriving requests are interleaved with running decodes and stall them.
            decodeS = out * stepPerTokenS;
            tpotS = (prefillAll.time() + decodeS) / out;
            ttftS = prefillOneS + stepS;
        } else {
            // Request-level batches run until their longest request ends; slots of finished requests idle.
            decodeS = out / s.staticSlotUtilization() * stepPerTokenS;
            tpotS = stepPerTokenS;
            ttftS = prefillAll.time() + (par.pp() - 1) * ctx.hopTime(micro);
        }
        double cycleS = prefillAll.time() + decodeS;
        double outputTokS = batch * out / cycleS;

        double usdPerHour = devices * usdPerDeviceHour(hw, cfg);
        double usdPerS = usdPerHour / Units.SECONDS_PER_HOUR / cfg.utilization();
        double costIn = usdPerS * prefillAll.time() / (batch * in) * Units.TOKENS_PER_MTOK;
        double costOut = usdPerS * decodeS / (batch * out) * Units.TOKENS_PER_MTOK;
        double watts = devices * hw.powerW() * cfg.powerFractionOfTdp() * cfg.pue();
        double energyIn = watts * prefillAll.time() / (batch * in);
        double energyOut = watts * decodeS / (batch * out);
        double energyAll = watts * cycleS / (batch * (in + out));

        // Utilisation over a full cycle, per device: everything a device computes or moves vs its peak.
        double decodeSteps = decodeS / stepS;
        double flopsPerDevice = prefillAll.flops() + decodeSteps * step.flops();
        double bytesPerDevice = prefillAll.bytes() + decodeSteps * step.bytes();
        double mfu = flopsPerDevice / (cycleS * hw.peakFlops(precision));
        double bwUtil = bytesPerDevice / (cycleS * hw.memoryBandwidthBytesPerS());
        double computeS = prefillAll.computeBoundTime() + decodeSteps * step.computeBoundTime();
        double memoryS = prefillAll.memoryBoundTime() + decodeSteps * step.memoryBoundTime();
        double commS = prefillAll.commTime() + decodeSteps * step.commTime();
        String bound = commS >= computeS && commS >= memoryS ? "interconnect" : computeS >= memoryS ? "compute" : "memory";

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
        return new Estimate(m.id(), hw.id(), devices, par.tp(), par.pp(), w.id(), s.id(), batch, "given",
                precisionName, true, weightsBytes / BYTES_PER_GB, mem.weightBytesPerDevice() / BYTES_PER_GB,
                kvPerToken, kvPerRequestGb, mem.kvReservedBytesPerRequestPerDevice() / BYTES_PER_GB, mem.maxBatch(),
                minDevices, usedPerDevice / BYTES_PER_GB, mem.usableBytesPerDevice() / BYTES_PER_GB,
                ttftMs, tpotMs, outputTokS, outputTokS / devices, bound, mfu, bwUtil,
                pricingUsed(hw, cfg).name().toLowerCase(), usdPerHour, costIn, costOut, energyAll, energyIn, energyOut,
                s.speculative() ? tokensPerStep : null, sloMet, w.ttftSloMs(), w.tpotSloMs(), verdict);
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
        double capex = hw.purchaseUsd() / (cfg.amortizationYears() * HOURS_PER_YEAR);
        return capex + electricityUsdPerDeviceHour(hw, cfg);
    }

    /** Electricity of one owned device-hour while serving, data-centre overhead (PUE) included. */
    public static double electricityUsdPerDeviceHour(Hardware hw, EngineSettings cfg) {
        return hw.powerW() * cfg.powerFractionOfTdp() * cfg.pue() / W_PER_KW * cfg.electricityUsdPerKwh();
    }

    /**
     * One forward pass on one device of the group, and its roofline split. Immutable; {@link #times} and
     * {@link #plus} compose passes (speculative steps, pipeline stages).
     */
    record Pass(double time, double flops, double bytes, double computeBoundTime, double memoryBoundTime, double commTime) {

        record Ctx(Model m, Hardware hw, OptimizationStack s, Parallelism par, ComputePrecision precision, EngineSettings cfg) {
            double linearPeak() {
                return hw.peakFlops(precision) * hw.computeEfficiency(precision) * s.runtimeComputeEfficiency();
            }

            double attentionPeak() {
                return hw.peakFlops(ComputePrecision.BF16) * hw.computeEfficiency(ComputePrecision.BF16) * s.runtimeComputeEfficiency();
            }

            double bandwidth() {
                return hw.memoryBandwidthBytesPerS() * hw.memoryEfficiency() * s.runtimeBandwidthEfficiency();
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
         * @param seqs        sequences in the pass
         * @param newTokens   tokens computed per sequence
         * @param prior       tokens already in each sequence's KV cache
         * @param layerFrac   fraction of the model's layers this device group runs
         * @param weightReads how many times the weights stream from memory (prefill chunks)
         */
        static Pass run(Ctx c, double seqs, double newTokens, double prior, double layerFrac, double weightReads) {
            Model m = c.m();
            OptimizationStack s = c.s();
            int tp = c.par().tp();
            double tokens = seqs * newTokens;
            double layers = m.layers() * layerFrac;

            double linFlops = 2.0 * ModelMath.matmulParamsPerToken(m) * tokens * layerFrac / tp;
            double linBytes = ModelMath.weightBytesTouched(m, s, tokens / weightReads) * weightReads * layerFrac / tp;
            double linCompute = linFlops / c.linearPeak();
            double linMemory = linBytes / c.bandwidth();

            double attended = seqs * ModelMath.attendedPositions(m, prior, newTokens);
            double attnFlops = ModelMath.attentionFlopsPerQueryKey(m) * attended * layers / tp;
            double kvPerTokenLayer = ModelMath.kvElementsPerTokenPerLayer(m) * s.kvBits() / ModelMath.BITS_PER_BYTE;
            double kvBytes = (seqs * ModelMath.kvTokensStored(m, prior) + tokens) * kvPerTokenLayer * layers / kvShards(m, c.par());
            double scoreBytes = s.flashAttention() ? 0.0
                    : s.standardAttentionPasses() * m.attentionHeads() * attended * c.actBytes() * layers / tp;
            double attnBytes = kvBytes + scoreBytes;
            double attnCompute = attnFlops / c.attentionPeak();
            double attnMemory = attnBytes / c.bandwidth();

            double comm = 0.0;
            if (tp > 1) {
                // Two all-reduces per layer (after attention and after the MLP), ring algorithm.
                double message = tokens * m.hiddenSize() * c.actBytes();
                double perAllReduce = 2.0 * (tp - 1) / tp * message / c.hw().interconnectBytesPerS()
                        + c.cfg().collectiveLatencyUs() / US_PER_S;
                comm = 2.0 * layers * perAllReduce;
            }
            double computeBound = (linCompute >= linMemory ? linCompute : 0) + (attnCompute >= attnMemory ? attnCompute : 0);
            double memoryBound = (linCompute < linMemory ? linMemory : 0) + (attnCompute < attnMemory ? attnMemory : 0);
            return new Pass(computeBound + memoryBound + comm, linFlops + attnFlops, linBytes + attnBytes,
                    computeBound, memoryBound, comm);
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
