package tokencost.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Inference versus training over a model's life: monthly demand (growth, price-elastic), falling cost per
 * token (hardware and software), cumulative compute, cost and energy against the one-time training, the
 * crossover months, and the serving fleet. Pure functions, no Spark.
 */
public final class LifecycleEngine {
    /** Mean days per month (365.25 / 12). */
    public static final double DAYS_PER_MONTH = 365.25 / 12;
    private static final double SECONDS_PER_DAY = 86_400;
    private static final double MONTHS_PER_YEAR = 12;
    private static final double TOKENS_PER_MTOK = 1e6;
    private static final double J_PER_MWH = 3.6e9;
    private static final double W_PER_MW = 1e6;

    private LifecycleEngine() {}

    /** One month of the curve. Training months (month <= 0) have no serving. */
    public record Month(int month, double tokens, double costUsdPerMtok, double priceUsdPerMtok, double spendUsd,
                        double inferenceFlop, double cumInferenceFlop, double trainingFlop, double cumTrainingFlop,
                        double inferenceCostUsd, double cumInferenceCostUsd, double cumTrainingCostUsd,
                        double inferenceEnergyMwh, double cumInferenceEnergyMwh, double cumTrainingEnergyMwh,
                        double devices, double powerMw) {}

    /** The whole curve, the crossover months (null = not within the horizon) and the spend outlook. */
    public record Result(List<Month> months, Integer crossoverComputeMonth, Integer crossoverCostMonth,
                         Integer crossoverEnergyMonth, double lifetimeInferenceToTrainingFlop,
                         double lifetimeInferenceToTrainingCost, double lifetimeInferenceToTrainingEnergy,
                         double spendGrowth, double unitCostChange, Double elasticityWhereSpendTurnsUp) {}

    /** Monthly factor by which device time (and so cost, energy) per token falls. */
    static double monthlyEfficiencyFactor(double yearlyDecline) {
        return Math.pow(1 - yearlyDecline, 1 / MONTHS_PER_YEAR);
    }

    public static Result run(LifecycleInputs in) {
        double hw = monthlyEfficiencyFactor(in.hardwareCostDeclinePerYear());
        double sw = monthlyEfficiencyFactor(in.softwareGainPerYear());
        List<Month> months = new ArrayList<>();
        double trainFlopPerMonth = in.trainingFlop() / in.trainingMonths();
        double trainCostPerMonth = in.trainingCostUsd() / in.trainingMonths();
        double trainEnergyPerMonth = in.trainingEnergyMwh() / in.trainingMonths();
        double cumTrainFlop = 0, cumTrainCost = 0, cumTrainEnergy = 0;
        for (int m = 1 - in.trainingMonths(); m <= 0; m++) {
            cumTrainFlop += trainFlopPerMonth;
            cumTrainCost += trainCostPerMonth;
            cumTrainEnergy += trainEnergyPerMonth;
            months.add(new Month(m, 0, 0, 0, 0, 0, 0, trainFlopPerMonth, cumTrainFlop, 0, 0, cumTrainCost, 0, 0,
                    cumTrainEnergy, 0, 0));
        }
        double price0 = in.initialCostUsdPerMtok() * (1 + in.margin());
        double cumFlop = 0, cumCost = 0, cumEnergy = 0;
        Integer crossFlop = null, crossCost = null, crossEnergy = null;
        double firstSpend = 0, lastSpend = 0, lastCost = in.initialCostUsdPerMtok();
        for (int m = 1; m <= in.horizonMonths(); m++) {
            int t = m - 1; // months since serving started
            double software = Math.pow(sw, t);
            double cost = in.initialCostUsdPerMtok() * Math.pow(hw, t) * software;
            double price = cost * (1 + in.margin());
            double tokensPerDay = in.initialTokensPerDay() * Math.pow(1 + in.monthlyGrowth(), t)
                    * Math.pow(price / price0, -in.priceElasticity());
            double tokens = tokensPerDay * DAYS_PER_MONTH;
            double flop = tokens * in.inferenceFlopPerToken();
            double servingCost = tokens / TOKENS_PER_MTOK * cost;
            double spend = tokens / TOKENS_PER_MTOK * price;
            double energy = tokens * in.initialEnergyJPerTok() * software / J_PER_MWH;
            double devices = tokensPerDay / SECONDS_PER_DAY / (in.initialTokPerSecPerDevice() / software * in.utilization());
            cumFlop += flop;
            cumCost += servingCost;
            cumEnergy += energy;
            if (crossFlop == null && cumFlop >= in.trainingFlop()) crossFlop = m;
            if (crossCost == null && cumCost >= in.trainingCostUsd()) crossCost = m;
            if (crossEnergy == null && cumEnergy >= in.trainingEnergyMwh()) crossEnergy = m;
            months.add(new Month(m, tokens, cost, price, spend, flop, cumFlop, 0, in.trainingFlop(), servingCost, cumCost,
                    in.trainingCostUsd(), energy, cumEnergy, in.trainingEnergyMwh(), devices,
                    devices * in.devicePowerW() * in.pue() / W_PER_MW));
            if (m == 1) firstSpend = spend;
            lastSpend = spend;
            lastCost = cost;
        }
        double monthlyPriceFactor = hw * sw;
        return new Result(months, crossFlop, crossCost, crossEnergy, cumFlop / in.trainingFlop(), cumCost / in.trainingCostUsd(),
                cumEnergy / in.trainingEnergyMwh(), lastSpend / firstSpend - 1, lastCost / in.initialCostUsdPerMtok() - 1,
                elasticityWhereSpendTurnsUp(in.monthlyGrowth(), monthlyPriceFactor));
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
