package tokencost.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tokencost.catalog.Catalog;
import tokencost.catalog.InvalidInputException;
import tokencost.catalog.Problem;
import tokencost.catalog.Scenario;
import tokencost.conf.TokencostConf;
import tokencost.engine.EngineSettings;
import tokencost.engine.ScenarioResolver;

/** The scenarios a lifecycle run covers, resolved and validated before Spark starts (all problems at once). */
public final class LifecyclePlan {
    private LifecyclePlan() {}

    public static List<ScenarioResolver.Baseline> baselines(TokencostConf conf, Catalog catalog, Map<String, Scenario> scenarios) {
        EngineSettings cfg = conf.engineSettings();
        List<Problem> problems = new ArrayList<>();
        List<String> wanted = conf.strings(TokencostConf.LIFECYCLE_SCENARIOS);
        List<String> ids = wanted.equals(List.of("all")) ? List.copyOf(scenarios.keySet()) : wanted;
        if (ids.isEmpty()) {
            problems.add(new Problem(conf.file(TokencostConf.LIFECYCLE_SCENARIOS), conf.line(TokencostConf.LIFECYCLE_SCENARIOS), TokencostConf.LIFECYCLE_SCENARIOS.key(),
                    "empty list: give at least one scenario id, or [all]"));
        }
        List<ScenarioResolver.Baseline> out = new ArrayList<>();
        for (String id : ids) {
            Scenario s = scenarios.get(id);
            if (s == null) {
                problems.add(new Problem(conf.file(TokencostConf.LIFECYCLE_SCENARIOS), conf.line(TokencostConf.LIFECYCLE_SCENARIOS), TokencostConf.LIFECYCLE_SCENARIOS.key(),
                        "unknown scenario " + Problem.quote(id) + Problem.unknownIdHint(id, scenarios.keySet())));
                continue;
            }
            try {
                out.add(ScenarioResolver.baseline(s, catalog, cfg));
            } catch (InvalidInputException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) throw new InvalidInputException(problems);
        return out;
    }
}
