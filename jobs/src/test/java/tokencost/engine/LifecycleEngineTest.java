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
        return new LifecycleInputs(36, 3, 1e21, 3e6, 90, 1e10, 1e9, growth, elasticity, 0.25, 1.0, 1.0, 1000,
                hwDecline, swGain, 0.5, 700, 1.2);
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
        // 1e9 tokens/day = 11,574 tok/s; 1000 tok/s per device at 50% load
        assertEquals(1e9 / 86_400 / 500, first.devices(), 1e-9);
        assertEquals(first.devices() * 700 * 1.2 / 1e6, first.powerMw(), 1e-12);
        LifecycleEngine.Month last = serving(r).get(35);
        assertEquals(first.devices() * Math.pow(1.05, 35) * Math.pow(LifecycleEngine.monthlyEfficiencyFactor(0.2), 35),
                last.devices(), 1e-6 * last.devices());
    }

    @Test
    void llama405bTrainingComputeFromItsPublishedTokens() {
        var m = TestCatalogs.real().model("llama-3.1-405b");
        assertEquals(3.8e25, TrainingEngine.sixND(m, m.trainingTokensT() * 1e12), 0.05 * 3.8e25);
    }
}
