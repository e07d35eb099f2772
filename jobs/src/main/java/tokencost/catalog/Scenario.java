package tokencost.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** A lifecycle scenario (datasets/scenarios.csv), with the line it came from for error messages. */
public record Scenario(String id, String description, String modelId, String workloadId, String servingHardwareId,
                       int servingDevices, String servingOptimizations, String trainingHardwareId, int trainingDevices,
                       int trainingMonths, double trainingOverheadFraction, int horizonMonths,
                       Quantity initialTokensPerDay, Quantity monthlyGrowth, Quantity priceElasticity, Quantity margin,
                       Quantity hardwareCostDeclinePerYear, Quantity softwareGainPerYear, Quantity utilization,
                       boolean ownsFleet, int deviceLifetimeMonths, Quantity pue, Quantity electricityUsdPerKwh,
                       int modelLifetimeMonths, Quantity nextGenerationComputeRatio,
                       String source, String file, int line) implements java.io.Serializable {

    public static final String FILE = "scenarios.csv";

    /**
     * Loads and checks every scenario: types, ranges, and references to the catalog; all problems at once. With a null
     * catalog (one that could not be loaded) the file is checked alone, without its references.
     */
    public static Map<String, Scenario> load(CatalogSource source, Catalog catalog) {
        List<Problem> problems = new ArrayList<>();
        String name = source.describe(FILE);
        Schema schema = Catalog.schema("scenarios");
        byte[] bytes = source.read(FILE);
        if (bytes == null) throw new InvalidInputException(List.of(new Problem(name, 0, null, source.whyNot(FILE))));
        Map<String, Scenario> out = new TreeMap<>();
        for (AvroCsvLoader.Loaded l : AvroCsvLoader.load(name, bytes, schema, problems)) {
            GenericRecord r = l.record();
            Scenario s = new Scenario(Fields.str(r, "scenario_id"), Fields.str(r, "description"), Fields.str(r, "model_id"),
                    Fields.str(r, "workload_id"), Fields.str(r, "serving_hardware_id"), Fields.i(r, "serving_devices"),
                    Fields.str(r, "serving_optimizations"), Fields.str(r, "training_hardware_id"), Fields.i(r, "training_devices"),
                    Fields.i(r, "training_months"), Fields.d(r, "training_overhead_fraction"), Fields.i(r, "horizon_months"),
                    q(r, "initial_tokens_per_day"), q(r, "monthly_growth"), q(r, "price_elasticity"), q(r, "margin"),
                    q(r, "hardware_cost_decline_per_year"), q(r, "software_gain_per_year"), q(r, "utilization"),
                    Fields.str(r, "fleet_ownership").equals("own"), Fields.i(r, "device_lifetime_months"), q(r, "pue"),
                    q(r, "electricity_usd_per_kwh"), Fields.i(r, "model_lifetime_months"), q(r, "next_generation_compute_ratio"),
                    Fields.str(r, "source"), name, l.line());
            s.check(catalog, problems);
            out.put(s.id(), s);
        }
        if (!problems.isEmpty()) throw new InvalidInputException(problems);
        return out;
    }

    private static Quantity q(GenericRecord r, String field) {
        return Quantity.parse(Fields.str(r, field));
    }

    private void check(Catalog c, List<Problem> problems) {
        if (c != null) {
            ref(c.models().keySet(), "model_id", "model", modelId, problems);
            ref(c.workloads().keySet(), "workload_id", "workload", workloadId, problems);
            ref(c.hardware().keySet(), "serving_hardware_id", "hardware", servingHardwareId, problems);
            ref(c.hardware().keySet(), "training_hardware_id", "hardware", trainingHardwareId, problems);
        }
        range(initialTokensPerDay, "initial_tokens_per_day", 0, Double.POSITIVE_INFINITY, true, problems);
        range(monthlyGrowth, "monthly_growth", -1, Double.POSITIVE_INFINITY, true, problems);
        range(priceElasticity, "price_elasticity", 0, Double.POSITIVE_INFINITY, false, problems);
        range(margin, "margin", 0, Double.POSITIVE_INFINITY, false, problems);
        range(hardwareCostDeclinePerYear, "hardware_cost_decline_per_year", 0, 1, false, problems);
        range(softwareGainPerYear, "software_gain_per_year", 0, 1, false, problems);
        range(utilization, "utilization", 0, 1, true, problems);
        range(pue, "pue", 1, Double.POSITIVE_INFINITY, false, problems);
        range(electricityUsdPerKwh, "electricity_usd_per_kwh", 0, Double.POSITIVE_INFINITY, false, problems);
        range(nextGenerationComputeRatio, "next_generation_compute_ratio", 0, Double.POSITIVE_INFINITY, false, problems);
        if (modelLifetimeMonths > horizonMonths) {
            problems.add(new Problem(file, line, "model_lifetime_months", modelLifetimeMonths
                    + " is beyond horizon_months (" + horizonMonths + "): the horizon must cover the model's life"));
        }
        if (nextGenerationComputeRatio.max() > 0 && modelLifetimeMonths < trainingMonths) {
            problems.add(new Problem(file, line, "model_lifetime_months", modelLifetimeMonths + " is shorter than training_months ("
                    + trainingMonths + "): a next generation is trained during its predecessor's life"));
        }
        String owned = ownsFleet ? "purchase_usd" : "price_usd_per_hour";
        for (String hw : new java.util.TreeSet<>(List.of(servingHardwareId, trainingHardwareId))) {
            var h = c == null ? null : c.hardware().get(hw);
            if (h != null && (ownsFleet ? h.purchaseUsd() == null : h.priceUsdPerHour() == null)) {
                problems.add(new Problem(file, line, "fleet_ownership", (ownsFleet ? "own" : "rent") + " needs a " + owned
                        + " for hardware '" + hw + "' in datasets/hardware.csv, which has none"));
            }
        }
    }

    private void ref(java.util.Set<String> known, String field, String what, String id, List<Problem> problems) {
        if (!known.contains(id)) problems.add(new Problem(file, line, field, "refers to unknown " + what + " " + Problem.quote(id) + suggestion(id, known)));
    }

    /** The did-you-mean of an id known only in another case; nothing else (a reference does not list every id). */
    static String suggestion(String id, java.util.Collection<String> known) {
        String hint = Problem.unknownIdHint(id, known);
        return hint.startsWith(" (did you mean") ? hint : "";
    }

    /** Every value the quantity can take lies in (lo, hi) or [lo, hi); declines and shares stay below/at 1. */
    private void range(Quantity qy, String field, double lo, double hi, boolean loExclusive, List<Problem> problems) {
        boolean lowOk = loExclusive ? qy.min() > lo || (qy.kind() == Quantity.Kind.LOGNORMAL && lo <= 0) : qy.min() >= lo;
        boolean highOk = field.equals("utilization") ? qy.max() <= hi : qy.max() < hi || hi == Double.POSITIVE_INFINITY;
        if (!lowOk || !highOk) {
            problems.add(new Problem(file, line, field, "'" + qy.text() + "' is out of range: every value must be "
                    + (loExclusive ? "> " : ">= ") + lo + (hi == Double.POSITIVE_INFINITY ? "" : (field.equals("utilization") ? " and <= " : " and < ") + hi)));
        }
    }
}
