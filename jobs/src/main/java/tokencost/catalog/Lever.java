package tokencost.catalog;

import java.util.Map;

/** A software optimization lever and its default parameters, as in datasets/optimizations.csv. */
public record Lever(String id, String category, Map<String, Double> parameters) implements java.io.Serializable {

    public double param(String name) {
        Double v = parameters.get(name);
        if (v == null) {
            throw new IllegalStateException("lever '" + id + "' has no parameter '" + name
                    + "' in datasets/optimizations.csv (has " + parameters.keySet() + ")");
        }
        return v;
    }
}
