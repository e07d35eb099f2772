package tokencost.engine;

/**
 * One deterministic lifecycle scenario, all numbers resolved (a Monte Carlo draw is one of these), in named groups.
 *
 * @param horizonMonths months of serving simulated (month 1 = first month after training)
 */
public record LifecycleInputs(int horizonMonths, Training training, Generations generations, Demand demand,
                              Serving serving, Fleet fleet) implements java.io.Serializable {

    /**
     * The training run, experiments before the final run included.
     *
     * @param months    months the run takes (its compute, cost and energy are spread over them)
     * @param flop      total training compute, FLOP
     * @param costUsd   total training cost, USD
     * @param energyMwh total training energy, MWh
     */
    public record Training(int months, double flop, double costUsd, double energyMwh) implements java.io.Serializable {
        public Training {
            if (months < 1) throw new IllegalArgumentException("training takes at least 1 month");
        }
    }

    /**
     * How long a model serves and what replaces it.
     *
     * @param modelLifetimeMonths        months the model is served before it is retired or replaced
     * @param nextGenerationComputeRatio training compute of each next generation over its predecessor's (0 = none:
     *                                   serving stops when the model retires); each is trained in the last training
     *                                   months of its predecessor's life and takes over its demand
     */
    public record Generations(int modelLifetimeMonths, double nextGenerationComputeRatio) implements java.io.Serializable {
        public Generations {
            if (modelLifetimeMonths < 1) throw new IllegalArgumentException("model lifetime must be at least 1 month");
            if (nextGenerationComputeRatio < 0) throw new IllegalArgumentException("next-generation compute ratio must not be negative");
        }
    }

    /**
     * Demand for tokens and how it answers the price.
     *
     * @param initialTokensPerDay tokens (input + output) served per day in month 1 at the initial price
     * @param monthlyGrowth       demand growth per month at constant price (0.05 = 5%)
     * @param priceElasticity     constant price elasticity of demand (0 = demand ignores price)
     * @param margin              price over cost (0.3 = price is cost x 1.3)
     */
    public record Demand(double initialTokensPerDay, double monthlyGrowth, double priceElasticity, double margin)
            implements java.io.Serializable {
        public Demand {
            if (priceElasticity < 0) throw new IllegalArgumentException("price elasticity must not be negative");
        }
    }

    /**
     * What a token costs to serve in month 1, and how that falls.
     *
     * @param inferenceFlopPerToken      FLOP per token served (ModelMath.flopsPerToken: 2 x matmul parameters, as the sweep)
     * @param initialCostUsdPerMtok      serving cost per million tokens in month 1
     * @param initialEnergyJPerTok       serving energy per token in month 1, PUE included
     * @param initialTokPerSecPerDevice  tokens per second one device serves in month 1 (at full load)
     * @param hardwareCostDeclinePerYear yearly fall of hardware cost per token (0.3 = 30% cheaper each year)
     * @param softwareGainPerYear        yearly fall of device time per token from software (0.2 = 20% less)
     */
    public record Serving(double inferenceFlopPerToken, double initialCostUsdPerMtok, double initialEnergyJPerTok,
                          double initialTokPerSecPerDevice, double hardwareCostDeclinePerYear, double softwareGainPerYear)
            implements java.io.Serializable {
        public Serving {
            if (hardwareCostDeclinePerYear < 0 || hardwareCostDeclinePerYear >= 1 || softwareGainPerYear < 0 || softwareGainPerYear >= 1) {
                throw new IllegalArgumentException("yearly declines must be in [0, 1)");
            }
        }
    }

    /**
     * The serving fleet.
     *
     * @param utilization          average load of the fleet (devices needed = load / (throughput x utilization))
     * @param devicesPerReplica    devices of one serving replica: the fleet grows in whole replicas
     * @param devicePowerW         power per serving device, W (IT power, before PUE)
     * @param pue                  power usage effectiveness of the serving data centre
     * @param ownsFleet            true = devices are bought (capex, replaced at end of life); false = rented
     * @param devicePurchaseUsd    price of one device when bought (ignored when rented)
     * @param deviceLifetimeMonths months a bought device serves before it is replaced
     * @param opexUsdPerDeviceHour running cost of one serving device-hour: the rental price, or electricity when owned
     */
    public record Fleet(double utilization, int devicesPerReplica, double devicePowerW, double pue, boolean ownsFleet,
                        double devicePurchaseUsd, int deviceLifetimeMonths, double opexUsdPerDeviceHour)
            implements java.io.Serializable {
        public Fleet {
            if (!(utilization > 0 && utilization <= 1)) throw new IllegalArgumentException("utilization must be in (0, 1]");
            if (devicesPerReplica < 1 || deviceLifetimeMonths < 1) throw new IllegalArgumentException("replica size and device lifetime must be at least 1");
            if (!(pue >= 1)) throw new IllegalArgumentException("PUE must be at least 1");
        }
    }

    public LifecycleInputs {
        if (horizonMonths < 1) throw new IllegalArgumentException("horizon must be at least 1 month");
        if (generations.nextGenerationComputeRatio() > 0 && generations.modelLifetimeMonths() < training.months()) {
            throw new IllegalArgumentException("a next generation is trained during its predecessor's life: model lifetime ("
                    + generations.modelLifetimeMonths() + ") must be at least the training months (" + training.months() + ")");
        }
    }
}
