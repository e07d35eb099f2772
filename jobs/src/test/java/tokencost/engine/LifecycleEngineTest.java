package tokencost.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tokencost.TestCatalogs;

/** The lifecycle model against closed forms. */
class LifecycleEngineTest {

    /** A scenario with round numbers: 1e9 tokens/day, 1e10 FLOP/token, $1/Mtok, 1 J/token. */
    static LifecycleInputs scenario(double growth, double elasticity, double hwDecline, double swGain) {
        return fleet(growth, elasticity, hwDecline, swGain, 36, 0, false, 60);
    }

    /** The same with a model lifetime, next generations, and an owned or rented fleet ($20,000 devices, $2/h to run). */
    static LifecycleInputs fleet(double growth, double elasticity, double hwDecline, double swGain, int modelLifetime,
                                 double nextGeneration, boolean own, int deviceLifetime) {
        return new LifecycleInputs(36, new LifecycleInputs.Training(3, 1e21, 3e6, 90),
                new LifecycleInputs.Generations(modelLifetime, nextGeneration),
                new LifecycleInputs.Demand(1e9, growth, elasticity, 0.25),
                new LifecycleInputs.Serving(1e10, 1.0, 1.0, 1000, hwDecline, swGain),
                new LifecycleInputs.Fleet(0.5, 1, 700, 1.2, own, 20_000, deviceLifetime, 2.0));
    }

    private static List<LifecycleEngine.Month> serving(LifecycleEngine.Result r) {
        return r.months().stream().filter(m -> m.month() >= 1).toList();
    }

    @Test
    void constantDemandIsLinearAndCrossesWhenComputable() {
        LifecycleEngine.Result r = LifecycleEngine.run(scenario(0, 0, 0, 0));
        double monthlyFlop = 1e9 * LifecycleEngine.DAYS_PER_MONTH * 1e10;
        List<LifecycleEngine.Month> s = serving(r);
        for (int i = 0; i < s.size(); i++) assertEquals((i + 1) * monthlyFlop, s.get(i).cumInferenceFlop(), 1e-9 * monthlyFlop * (i + 1));
        assertEquals((int) Math.ceil(1e21 / monthlyFlop), r.crossoverComputeMonth());
        // cost: $1/Mtok x 1e9 tokens/day = $1000/day; $3e6 of training is crossed after 3000 days
        assertNull(r.crossoverCostMonth(), "3000 days is beyond 36 months");
        double monthlyMwh = 1e9 * LifecycleEngine.DAYS_PER_MONTH / 3.6e9;
        assertEquals((int) Math.ceil(90 / monthlyMwh), r.crossoverEnergyMonth());
        assertEquals(3, r.months().stream().filter(m -> m.month() <= 0).count(), "three training months before serving");
    }

    @Test
    void noGrowthNoElasticityIsCostTimesTokens() {
        LifecycleEngine.Result r = LifecycleEngine.run(scenario(0, 0, 0.3, 0.2));
        for (LifecycleEngine.Month m : serving(r)) {
            assertEquals(1e9 * LifecycleEngine.DAYS_PER_MONTH, m.tokens(), 1e-3, "demand ignores price at elasticity 0");
            assertEquals(m.tokens() / 1e6 * m.costUsdPerMtok(), m.inferenceCostUsd(), 1e-9 * m.inferenceCostUsd());
            assertEquals(m.costUsdPerMtok() * 1.25, m.priceUsdPerMtok(), 1e-12);
        }
        // 30% per year from hardware and 20% from software: after 12 months the cost is 0.7 x 0.8 of month 1
        assertEquals(0.56, serving(r).get(12).costUsdPerMtok(), 1e-12);
    }

    @Test
    void elasticityAboveOneRaisesSpendAsPricesFall() {
        LifecycleEngine.Result inelastic = LifecycleEngine.run(scenario(0, 0.5, 0.3, 0.2));
        LifecycleEngine.Result elastic = LifecycleEngine.run(scenario(0, 1.5, 0.3, 0.2));
        assertTrue(inelastic.spendGrowth() < 0, "elasticity < 1: cheaper tokens, less spend");
        assertTrue(elastic.spendGrowth() > 0, "elasticity > 1 (Jevons): cheaper tokens, more spend");
        assertTrue(elastic.unitCostChange() < 0);
        assertEquals(1.0, elastic.elasticityWhereSpendTurnsUp(), 1e-12, "without growth spend turns up at elasticity 1");
    }

    @Test
    void spendIsFlatAtTheThresholdElasticity() {
        double growth = 0.02;
        Double threshold = LifecycleEngine.elasticityWhereSpendTurnsUp(growth,
                LifecycleEngine.monthlyEfficiencyFactor(0.3) * LifecycleEngine.monthlyEfficiencyFactor(0.2));
        assertTrue(threshold > 0 && threshold < 1, "growth lowers the elasticity needed: " + threshold);
        LifecycleEngine.Result r = LifecycleEngine.run(scenario(growth, threshold, 0.3, 0.2));
        assertEquals(0, r.spendGrowth(), 1e-9);
        assertTrue(LifecycleEngine.run(scenario(growth, threshold + 0.1, 0.3, 0.2)).spendGrowth() > 0);
        assertTrue(LifecycleEngine.run(scenario(growth, threshold - 0.1, 0.3, 0.2)).spendGrowth() < 0);
        assertNull(LifecycleEngine.elasticityWhereSpendTurnsUp(0, 1.0));
    }

    @Test
    void fleetFollowsLoadAndEfficiency() {
        LifecycleEngine.Result r = LifecycleEngine.run(scenario(0.05, 0, 0, 0.2));
        LifecycleEngine.Month first = serving(r).get(0);
        // 1e9 tokens/day = 11,574 tok/s; 1000 tok/s per device at 50% load = 23.1 devices: 24 whole devices
        assertEquals(Math.ceil(1e9 / 86_400 / 500), first.devices(), 0.0);
        assertEquals(first.devices() * 700 * 1.2 / 1e6, first.powerMw(), 1e-12);
        LifecycleEngine.Month last = serving(r).get(35);
        assertEquals(Math.ceil(1e9 / 86_400 / 500 * Math.pow(1.05, 35) * Math.pow(LifecycleEngine.monthlyEfficiencyFactor(0.2), 35)),
                last.devices(), 0.0);
    }

    @Test
    void ownedDevicesAreReplacedAtEndOfLife() {
        // constant demand, 12-month devices: the whole fleet is bought in months 1, 13 and 25
        LifecycleEngine.Result r = LifecycleEngine.run(fleet(0, 0, 0, 0, 36, 0, true, 12));
        double n = Math.ceil(1e9 / 86_400 / 500);
        for (LifecycleEngine.Month m : serving(r)) {
            double bought = m.month() % 12 == 1 ? n : 0;
            assertEquals(bought, m.devicesPurchased(), 0.0, "month " + m.month());
            assertEquals(bought * 20_000, m.capexUsd(), 0.0);
            assertEquals(n * 2.0 * LifecycleEngine.HOURS_PER_MONTH, m.opexUsd(), 1e-9);
        }
        // a growing fleet buys only what it lacks: purchases add up to the peak while nothing retires
        LifecycleEngine.Result growing = LifecycleEngine.run(fleet(0.05, 0, 0, 0, 36, 0, true, 60));
        double bought = serving(growing).stream().mapToDouble(LifecycleEngine.Month::devicesPurchased).sum();
        assertEquals(serving(growing).get(35).devices(), bought, 0.0);
        // rented: nothing bought
        assertEquals(0, serving(LifecycleEngine.run(fleet(0.05, 0, 0, 0, 36, 0, false, 12))).stream()
                .mapToDouble(LifecycleEngine.Month::capexUsd).sum(), 0.0);
    }

    @Test
    void aModelWithoutSuccessorStopsServingWhenItRetires() {
        LifecycleEngine.Result r = LifecycleEngine.run(fleet(0, 0, 0, 0, 12, 0, false, 60));
        for (LifecycleEngine.Month m : serving(r)) {
            assertEquals(m.month() <= 12 ? 0 : -1, m.generation());
            assertEquals(m.month() <= 12, m.tokens() > 0, "month " + m.month());
            if (m.month() > 12) assertEquals(0, m.devices(), 0.0);
            assertEquals(1e21, m.cumTrainingFlop(), 0.0, "no training after the first run");
        }
        double monthlyFlop = 1e9 * LifecycleEngine.DAYS_PER_MONTH * 1e10;
        assertEquals(12 * monthlyFlop / 1e21, r.lifetimeInferenceToTrainingFlop(), 1e-9);
    }

    @Test
    void nextGenerationsAreTrainedBeforeTheirPredecessorsRetire() {
        // lifetime 12, training 3 months, each generation 2x the compute: trained in months 10-12, 22-24, 34-36
        LifecycleEngine.Result r = LifecycleEngine.run(fleet(0, 0, 0.3, 0, 12, 2, false, 60));
        List<LifecycleEngine.Month> s = serving(r);
        for (LifecycleEngine.Month m : s) {
            int k = (m.month() + 2) / 12;
            boolean training = m.month() % 12 == 0 || m.month() % 12 >= 10;
            assertEquals(training ? Math.pow(2, k) * 1e21 / 3 : 0, m.trainingFlop(), 1e6, "month " + m.month());
            double hw = Math.pow(LifecycleEngine.monthlyEfficiencyFactor(0.3), m.month() - 1);
            assertEquals(training ? Math.pow(2, k) * 3e6 / 3 * hw : 0, m.trainingCostUsd(), 1e-6, "cost per FLOP falls with hardware");
            assertEquals((m.month() - 1) / 12, m.generation());
            assertTrue(m.tokens() > 0, "the successor takes over the demand");
        }
        assertEquals((1 + 2 + 4 + 8) * 1e21, s.get(35).cumTrainingFlop(), 1e9);
        // crossover is against the training spent so far: a treadmill of ever larger runs can push it out
        double monthlyFlop = 1e9 * LifecycleEngine.DAYS_PER_MONTH * 1e10;
        Integer cross = r.crossoverComputeMonth();
        assertTrue(cross != null && cross * monthlyFlop >= s.get(cross - 1).cumTrainingFlop(), String.valueOf(cross));
        assertEquals(36 * monthlyFlop / 15e21, r.lifetimeInferenceToTrainingFlop(), 1e-9);
    }

    @Test
    void llama405bTrainingComputeFromItsPublishedTokens() {
        var m = TestCatalogs.real().model("llama-3.1-405b");
        assertEquals(3.8e25, TrainingEngine.sixND(m, m.trainingTokensT() * 1e12), 0.05 * 3.8e25);
    }
}
