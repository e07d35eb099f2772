package tokencost.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/** Compute, time and cost of training a model on given hardware. */
public record TrainingEstimate(String model, String hardware, int devices, double trainingTokensT,
                               double trainingFlop, String flopSource, double mfu,
                               double deviceHours, double days, double costUsd, double energyMwh) implements java.io.Serializable {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("hardware", hardware);
        m.put("devices", devices);
        m.put("training_tokens_t", trainingTokensT);
        m.put("training_flop", trainingFlop);
        m.put("flop_source", flopSource);
        m.put("mfu", mfu);
        m.put("device_hours", deviceHours);
        m.put("days", days);
        m.put("cost_usd", costUsd);
        m.put("energy_mwh", energyMwh);
        return m;
    }
}
