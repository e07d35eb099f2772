package tokencost.sweep;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tokencost.catalog.Catalog;
import tokencost.catalog.InvalidInputException;
import tokencost.catalog.Lever;
import tokencost.catalog.Problem;
import tokencost.conf.ConfEntry;
import tokencost.conf.TokencostConf;
import tokencost.engine.EngineSettings;
import tokencost.engine.OptimizationStack;
import tokencost.engine.StackParser;

/**
 * The axes of a sweep, resolved against the catalog: models x hardware x workloads x stacks x devices x
 * batches. The grid is addressed by slice — one (model, hardware, workload) — so any partition can
 * generate its share by index arithmetic, with no shuffle. Pure Java; validated before Spark starts.
 */
public record SweepPlan(Catalog catalog, EngineSettings settings, List<String> models, List<String> hardware,
                        List<String> workloads, List<OptimizationStack> stacks, int[] devices, int[] batches,
                        Map<String, OptimizationStack> impactVariants)
        implements Serializable {

    public SweepPlan {
        // Plain immutable copies: the plan is shipped to executors inside the partition functions.
        models = List.copyOf(models);
        hardware = List.copyOf(hardware);
        workloads = List.copyOf(workloads);
        stacks = List.copyOf(stacks);
        impactVariants = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(impactVariants));
    }

    /** Impact variant of the bare baseline, and of the sweep's best stack. */
    public static final String BASELINE = "baseline";
    public static final String BEST_STACK = "best-stack";

    public long slices() {
        return (long) models.size() * hardware.size() * workloads.size();
    }

    public int cellsPerSlice() {
        return stacks.size() * devices.length * batches.length;
    }

    public long cells() {
        return slices() * cellsPerSlice();
    }

    /** The (model, hardware, workload) of a slice index, model slowest. */
    public String[] slice(long index) {
        int w = (int) (index % workloads.size());
        long rest = index / workloads.size();
        int h = (int) (rest % hardware.size());
        int m = (int) (rest / hardware.size());
        return new String[] {models.get(m), hardware.get(h), workloads.get(w)};
    }

    public static SweepPlan from(TokencostConf conf, Catalog catalog) {
        List<Problem> problems = new ArrayList<>();
        List<String> models = ids(conf, TokencostConf.SWEEP_MODELS, catalog.models().keySet(), "model", problems);
        List<String> hardware = ids(conf, TokencostConf.SWEEP_HARDWARE, catalog.hardware().keySet(), "hardware", problems);
        List<String> workloads = ids(conf, TokencostConf.SWEEP_WORKLOADS, catalog.workloads().keySet(), "workload", problems);
        List<OptimizationStack> stacks = stacks(conf, catalog, problems);
        int[] devices = distinct(conf.integers(TokencostConf.SWEEP_DEVICES));
        int[] batches = distinct(conf.integers(TokencostConf.SWEEP_BATCHES));
        SweepPlan plan = new SweepPlan(catalog, conf.engineSettings(), models, hardware, workloads, stacks, devices, batches,
                impactVariants(catalog));
        if (problems.isEmpty() && plan.cells() > conf.longValue(TokencostConf.SWEEP_MAX_CELLS)) {
            problems.add(new Problem(conf.file(TokencostConf.SWEEP_MAX_CELLS), conf.line(TokencostConf.SWEEP_MAX_CELLS), TokencostConf.SWEEP_MAX_CELLS.key(),
                    String.format("the grid has %,d cells (%d models x %d hardware x %d workloads x %d stacks x %d device counts x %d batches), "
                                    + "above the limit of %,d: narrow the axes or raise the limit",
                            plan.cells(), models.size(), hardware.size(), workloads.size(), stacks.size(), devices.length,
                            batches.length, conf.longValue(TokencostConf.SWEEP_MAX_CELLS))));
        }
        if (!problems.isEmpty()) throw new InvalidInputException(problems);
        return plan;
    }

    private static List<String> ids(TokencostConf conf, ConfEntry e, java.util.Set<String> known, String what, List<Problem> problems) {
        List<String> wanted = conf.strings(e);
        if (wanted.equals(List.of("all"))) return List.copyOf(known);
        if (wanted.isEmpty()) {
            problems.add(new Problem(conf.file(e), conf.line(e), e.key(), "empty axis: list at least one " + what + " id, or [all]"));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String id : wanted) {
            if (!known.contains(id)) {
                problems.add(new Problem(conf.file(e), conf.line(e), e.key(), "unknown " + what + " " + Problem.quote(id)
                        + Problem.unknownIdHint(id, known)));
            } else if (!out.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    private static List<OptimizationStack> stacks(TokencostConf conf, Catalog catalog, List<Problem> allProblems) {
        List<Problem> problems = new ArrayList<>();
        List<OptimizationStack> stacks = stacks(conf, catalog, problems, new LinkedHashMap<>());
        allProblems.addAll(problems);
        return stacks;
    }

    private static List<OptimizationStack> stacks(TokencostConf conf, Catalog catalog, List<Problem> problems,
                                                  Map<String, OptimizationStack> byId) {
        for (String spec : conf.strings(TokencostConf.SWEEP_STACKS)) {
            try {
                OptimizationStack s = StackParser.parse(spec, catalog);
                byId.putIfAbsent(s.id(), s);
            } catch (IllegalArgumentException ex) {
                problems.add(new Problem(conf.file(TokencostConf.SWEEP_STACKS), conf.line(TokencostConf.SWEEP_STACKS), TokencostConf.SWEEP_STACKS.key(),
                        "stack \"" + Problem.cut(spec) + "\": " + withLeverHint(ex.getMessage(), catalog)));
            }
        }
        List<String> levers = conf.strings(TokencostConf.SWEEP_STACK_LEVERS);
        for (String lever : levers) {
            if (!catalog.levers().containsKey(lever)) {
                problems.add(new Problem(conf.file(TokencostConf.SWEEP_STACK_LEVERS), conf.line(TokencostConf.SWEEP_STACK_LEVERS), TokencostConf.SWEEP_STACK_LEVERS.key(),
                        "unknown lever " + Problem.quote(lever) + Problem.unknownIdHint(lever, catalog.levers().keySet())));
            }
        }
        if (problems.isEmpty() && !levers.isEmpty()) {
            if (levers.size() > 20) {
                problems.add(new Problem(conf.file(TokencostConf.SWEEP_STACK_LEVERS), conf.line(TokencostConf.SWEEP_STACK_LEVERS), TokencostConf.SWEEP_STACK_LEVERS.key(),
                        "at most 20 levers can be combined (2^20 stacks)"));
            } else {
                for (int mask = 0; mask < (1 << levers.size()); mask++) {
                    List<String> chosen = new ArrayList<>();
                    for (int i = 0; i < levers.size(); i++) if ((mask & (1 << i)) != 0) chosen.add(levers.get(i));
                    try {
                        OptimizationStack s = StackParser.parse(String.join(",", chosen), catalog);
                        byId.putIfAbsent(s.id(), s);
                    } catch (IllegalArgumentException cannotStack) {
                        // combinations that cannot stack are not stacks: skipped by design
                    }
                }
            }
        }
        if (problems.isEmpty() && byId.isEmpty()) {
            problems.add(new Problem(conf.file(TokencostConf.SWEEP_STACKS), conf.line(TokencostConf.SWEEP_STACKS), TokencostConf.SWEEP_STACKS.key(),
                    "empty axis: no optimization stacks (give tokencost.sweep.stacks or tokencost.sweep.stack-levers)"));
        }
        return List.copyOf(byId.values());
    }

    private static final java.util.regex.Pattern UNKNOWN_LEVER = java.util.regex.Pattern.compile("unknown optimization '([^']*)'");

    /**
     * The stack parser's message with a did-you-mean after each unknown lever that the catalog has in another case
     * ("unknown optimization 'FP8' (did you mean 'fp8'?) (known: ...)").
     */
    public static String withLeverHint(String message, Catalog catalog) {
        if (message == null) return null;
        java.util.regex.Matcher m = UNKNOWN_LEVER.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String hint = Problem.unknownIdHint(m.group(1), catalog.levers().keySet());
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(m.group() + (hint.startsWith(" (did you mean") ? hint : "")));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The baseline (bf16, no levers) and each lever alone on it; prefix caching brings the paged KV it needs. */
    static Map<String, OptimizationStack> impactVariants(Catalog catalog) {
        Map<String, OptimizationStack> out = new LinkedHashMap<>();
        out.put(BASELINE, StackParser.parse("", catalog));
        for (Lever l : catalog.levers().values()) {
            if (l.baseline()) continue;
            List<String> with = new ArrayList<>(StackParser.requirements(l.id(), catalog));
            with.add(l.id());
            out.put(l.id(), StackParser.parse(String.join(",", with), catalog));
        }
        return out;
    }

    private static int[] distinct(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).distinct().toArray();
    }
}
