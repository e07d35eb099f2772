package tokencost.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Inference versus training over a model's life: monthly demand (growth, price-elastic), falling cost per
 * token (hardware and software), cumulative compute, cost and energy against training (the model's own and,
 * where a next generation is trained, its successors'), the crossover months, and the serving fleet (whole
 * replicas; bought devices replaced at end of life, or rented). Devices are counted in the scenario's hardware;
 * their prices follow the hardware cost trend (a device of the same capacity costs less each year), so a rented
 * fleet costs what its tokens cost, up to whole replicas. Pure functions, no Spark.
 */
public final class LifecycleEngine {
    /** Mean days per month (365.25 / 12). */
    public static final double DAYS_PER_MONTH = Units.DAYS_PER_MONTH;
    public static final double HOURS_PER_MONTH = Units.HOURS_PER_MONTH;
    private static final double SECONDS_PER_DAY = 86_400;
    private static final double J_PER_MWH = 3.6e9;
    private static final double W_PER_MW = 1e6;

    private LifecycleEngine() {}

    /**
     * One month of the curve. Months 1 - trainingMonths .. 0 are the first model's training (no serving);
     * {@code generation} 0 is the first model, 1 its successor, ...; after a model without successor retires,
     * generation is -1 and nothing is served.
     */
    public record Month(int month, int generation, double tokens, double costUsdPerMtok, double priceUsdPerMtok, double spendUsd,
                        double inferenceFlop, double cumInferenceFlop, double trainingFlop, double cumTrainingFlop,
                        double inferenceCostUsd, double cumInferenceCostUsd, double trainingCostUsd, double cumTrainingCostUsd,
                        double inferenceEnergyMwh, double cumInferenceEnergyMwh, double cumTrainingEnergyMwh,
                        double devices, double devicesPurchased, double capexUsd, double opexUsd, double powerMw) {}

    /** The whole curve, the crossover months (null = not within the horizon) and the spend outlook. */
    public record Result(List<Month> months, Integer crossoverComputeMonth, Integer crossoverCostMonth,
                         Integer crossoverEnergyMonth, double lifetimeInferenceToTrainingFlop,
                         double lifetimeInferenceToTrainingCost, double lifetimeInferenceToTrainingEnergy,
                         double spendGrowth, double unitCostChange, Double elasticityWhereSpendTurnsUp) {}

    /** Monthly factor by which device time (and so cost, energy) per token falls. */
    static double monthlyEfficiencyFactor(double yearlyDecline) {
        return Math.pow(1 - yearlyDecline, 1 / Units.MONTHS_PER_YEAR);
    }

    /** Generation of the model served in serving month m (1-based), or -1 when retired without successor. */
    static int generation(LifecycleInputs in, int m) {
        int g = (m - 1) / in.generations().modelLifetimeMonths();
        return g > 0 && in.generations().nextGenerationComputeRatio() == 0 ? -1 : g;
    }

    /**
     * Training compute in serving month m: generation k >= 1 is trained with ratio^k of the first model's
     * compute over the last trainingMonths of generation k-1's life.
     */
    static double successorTrainingShare(LifecycleInputs in, int m) {
        if (in.generations().nextGenerationComputeRatio() == 0) return 0;
        int k = (m - 1 + in.training().months()) / in.generations().modelLifetimeMonths(); // generation whose training window holds m
        int start = k * in.generations().modelLifetimeMonths() - in.training().months() + 1;
        return k >= 1 && m >= start && m <= k * in.generations().modelLifetimeMonths() ? Math.pow(in.generations().nextGenerationComputeRatio(), k) / in.training().months() : 0;
    }

    public static Result run(LifecycleInputs in) {
        double hw = monthlyEfficiencyFactor(in.serving().hardwareCostDeclinePerYear());
        double sw = monthlyEfficiencyFactor(in.serving().softwareGainPerYear());
        List<Month> months = new ArrayList<>();
        double trainFlopPerMonth = in.training().flop() / in.training().months();
        double trainCostPerMonth = in.training().costUsd() / in.training().months();
        double trainEnergyPerMonth = in.training().energyMwh() / in.training().months();
        double cumTrainFlop = 0, cumTrainCost = 0, cumTrainEnergy = 0;
        for (int m = 1 - in.training().months(); m <= 0; m++) {
            cumTrainFlop += trainFlopPerMonth;
            cumTrainCost += trainCostPerMonth;
            cumTrainEnergy += trainEnergyPerMonth;
            months.add(new Month(m, 0, 0, 0, 0, 0, 0, 0, trainFlopPerMonth, cumTrainFlop, 0, 0, trainCostPerMonth, cumTrainCost, 0, 0,
                    cumTrainEnergy, 0, 0, 0, 0, 0));
        }
        double price0 = in.serving().initialCostUsdPerMtok() * (1 + in.demand().margin());
        double cumFlop = 0, cumCost = 0, cumEnergy = 0;
        Integer crossFlop = null, crossCost = null, crossEnergy = null;
        double firstSpend = 0, lastSpend = 0, lastCost = in.serving().initialCostUsdPerMtok();
        double[] purchases = new double[in.horizonMonths() + 1];
        double inService = 0;
        for (int m = 1; m <= in.horizonMonths(); m++) {
            int t = m - 1; // months since serving started
            int generation = generation(in, m);
            double software = Math.pow(sw, t);
            double hardware = Math.pow(hw, t);
            double cost = in.serving().initialCostUsdPerMtok() * hardware * software;
            double price = cost * (1 + in.demand().margin());
            double tokensPerDay = generation < 0 ? 0 : in.demand().initialTokensPerDay() * Math.pow(1 + in.demand().monthlyGrowth(), t)
                    * Math.pow(price / price0, -in.demand().priceElasticity());
            double tokens = tokensPerDay * DAYS_PER_MONTH;
            double flop = tokens * in.serving().inferenceFlopPerToken();
            double servingCost = tokens / Units.TOKENS_PER_MTOK * cost;
            double spend = tokens / Units.TOKENS_PER_MTOK * price;
            double energy = tokens * in.serving().initialEnergyJPerTok() * software / J_PER_MWH;

            // successors' training: compute as given; cost per FLOP follows the hardware trend, energy per FLOP does not
            double share = successorTrainingShare(in, m);
            double trainFlop = share * in.training().flop();
            double trainCost = share * in.training().costUsd() * hardware;
            cumTrainFlop += trainFlop;
            cumTrainCost += trainCost;
            cumTrainEnergy += share * in.training().energyMwh();

            // the fleet, in whole replicas; bought devices retire after their lifetime and are replaced when needed
            double load = tokensPerDay / SECONDS_PER_DAY / (in.serving().initialTokPerSecPerDevice() / software * in.fleet().utilization());
            double devices = Math.ceil(load / in.fleet().devicesPerReplica() - 1e-9) * in.fleet().devicesPerReplica();
            double bought = 0;
            if (in.fleet().ownsFleet()) {
                if (m > in.fleet().deviceLifetimeMonths()) inService -= purchases[m - in.fleet().deviceLifetimeMonths()];
                bought = Math.max(0, devices - inService);
                purchases[m] = bought;
                inService += bought;
            }
            // device prices (purchase, rent) per unit of capacity follow the hardware trend, like the cost per token
            double capex = bought * in.fleet().devicePurchaseUsd() * hardware;
            double opex = devices * in.fleet().opexUsdPerDeviceHour() * hardware * HOURS_PER_MONTH;

            cumFlop += flop;
            cumCost += servingCost;
            cumEnergy += energy;
            if (crossFlop == null && cumFlop >= cumTrainFlop) crossFlop = m;
            if (crossCost == null && cumCost >= cumTrainCost) crossCost = m;
            if (crossEnergy == null && cumEnergy >= cumTrainEnergy) crossEnergy = m;
            months.add(new Month(m, generation, tokens, cost, price, spend, flop, cumFlop, trainFlop, cumTrainFlop, servingCost,
                    cumCost, trainCost, cumTrainCost, energy, cumEnergy, cumTrainEnergy, devices, bought, capex, opex,
                    devices * in.fleet().devicePowerW() * in.fleet().pue() / W_PER_MW));
            if (m == 1) firstSpend = spend;
            if (generation >= 0) {
                lastSpend = spend;
                lastCost = cost;
            }
        }
        double monthlyPriceFactor = hw * sw;
        return new Result(months, crossFlop, crossCost, crossEnergy, cumFlop / cumTrainFlop, cumCost / cumTrainCost,
                cumEnergy / cumTrainEnergy, lastSpend / firstSpend - 1, lastCost / in.serving().initialCostUsdPerMtok() - 1,
                elasticityWhereSpendTurnsUp(in.demand().monthlyGrowth(), monthlyPriceFactor));
    }

    /**
     * Spend per month scales as (1+g)^t x d^((1-e) t) for price factor d per month: it grows iff
     * (1+g) d^(1-e) > 1, i.e. above e* = 1 + ln(1+g) / ln(d). With no price decline, any elasticity leaves it
     * to growth alone: 0 when growth already makes spend rise, null when no elasticity can.
     */
    public static Double elasticityWhereSpendTurnsUp(double monthlyGrowth, double monthlyPriceFactor) {
        if (monthlyPriceFactor >= 1) return monthlyGrowth > 0 ? 0.0 : null;
        return Math.max(0, 1 + Math.log(1 + monthlyGrowth) / Math.log(monthlyPriceFactor));
    }
}
