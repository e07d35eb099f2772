package tokencost.engine;

/**
 * One deterministic lifecycle scenario, all numbers resolved (a Monte Carlo draw is one of these).
 *
 * @param horizonMonths                months of serving simulated (month 1 = first month after training)
 * @param trainingMonths               months the training run takes (its compute, cost and energy are spread over them)
 * @param trainingFlop                 total training compute, FLOP (experiments before the final run included)
 * @param trainingCostUsd              total training cost, USD
 * @param trainingEnergyMwh            total training energy, MWh
 * @param modelLifetimeMonths          months the model is served before it is retired or replaced
 * @param nextGenerationComputeRatio   training compute of each next generation over its predecessor's (0 = none:
 *                                     serving stops when the model retires); each is trained in the last
 *                                     {@code trainingMonths} of its predecessor's life and takes over its demand
 * @param inferenceFlopPerToken        FLOP per token served (ModelMath.flopsPerToken: 2 x matmul parameters, as the sweep)
 * @param initialTokensPerDay          tokens (input + output) served per day in month 1 at the initial price
 * @param monthlyGrowth                demand growth per month at constant price (0.05 = 5%)
 * @param priceElasticity              constant price elasticity of demand (0 = demand ignores price)
 * @param margin                       price over cost (0.3 = price is cost x 1.3)
 * @param initialCostUsdPerMtok        serving cost per million tokens in month 1
 * @param initialEnergyJPerTok         serving energy per token in month 1, PUE included
 * @param initialTokPerSecPerDevice    tokens per second one device serves in month 1 (at full load)
 * @param hardwareCostDeclinePerYear   yearly fall of hardware cost per token (0.3 = 30% cheaper each year)
 * @param softwareGainPerYear          yearly fall of device time per token from software (0.2 = 20% less)
 * @param utilization                  average load of the fleet (devices needed = load / (throughput x utilization))
 * @param devicesPerReplica            devices of one serving replica: the fleet grows in whole replicas
 * @param devicePowerW                 power per serving device, W (IT power, before PUE)
 * @param pue                          power usage effectiveness of the serving data centre
 * @param ownsFleet                    true = devices are bought (capex, replaced at end of life); false = rented
 * @param devicePurchaseUsd            price of one device when bought (ignored when rented)
 * @param deviceLifetimeMonths         months a bought device serves before it is replaced
 * @param opexUsdPerDeviceHour         running cost of one serving device-hour: the rental price, or electricity when owned
 */
public record LifecycleInputs(
        int horizonMonths, int trainingMonths, double trainingFlop, double trainingCostUsd, double trainingEnergyMwh,
        int modelLifetimeMonths, double nextGenerationComputeRatio,
        double inferenceFlopPerToken, double initialTokensPerDay, double monthlyGrowth, double priceElasticity, double margin,
        double initialCostUsdPerMtok, double initialEnergyJPerTok, double initialTokPerSecPerDevice,
        double hardwareCostDeclinePerYear, double softwareGainPerYear, double utilization, int devicesPerReplica,
        double devicePowerW, double pue, boolean ownsFleet, double devicePurchaseUsd, int deviceLifetimeMonths,
        double opexUsdPerDeviceHour) implements java.io.Serializable {

    public LifecycleInputs {
        if (horizonMonths < 1) throw new IllegalArgumentException("horizon must be at least 1 month");
        if (trainingMonths < 1) throw new IllegalArgumentException("training takes at least 1 month");
        if (modelLifetimeMonths < 1) throw new IllegalArgumentException("model lifetime must be at least 1 month");
        if (nextGenerationComputeRatio < 0) throw new IllegalArgumentException("next-generation compute ratio must not be negative");
        if (nextGenerationComputeRatio > 0 && modelLifetimeMonths < trainingMonths) {
            throw new IllegalArgumentException("a next generation is trained during its predecessor's life: model lifetime ("
                    + modelLifetimeMonths + ") must be at least the training months (" + trainingMonths + ")");
        }
        if (!(utilization > 0 && utilization <= 1)) throw new IllegalArgumentException("utilization must be in (0, 1]");
        if (priceElasticity < 0) throw new IllegalArgumentException("price elasticity must not be negative");
        if (hardwareCostDeclinePerYear < 0 || hardwareCostDeclinePerYear >= 1 || softwareGainPerYear < 0 || softwareGainPerYear >= 1) {
            throw new IllegalArgumentException("yearly declines must be in [0, 1)");
        }
        if (devicesPerReplica < 1 || deviceLifetimeMonths < 1) throw new IllegalArgumentException("replica size and device lifetime must be at least 1");
        if (!(pue >= 1)) throw new IllegalArgumentException("PUE must be at least 1");
    }
}
