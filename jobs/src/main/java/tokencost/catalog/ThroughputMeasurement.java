package tokencost.catalog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A published serving-throughput measurement (datasets/calibration/published-throughput.tsv). */
public record ThroughputMeasurement(int line, String model, String hardware, int devices, String precision,
                                    int inputTokens, int outputTokens, String metric, double value, String source) {

    public static final String FILE = "calibration/published-throughput.tsv";
    private static final List<String> HEADER = List.of("model", "hardware", "devices", "precision", "input_tokens",
            "output_tokens", "metric", "value", "source");

    /** Reads the tab-separated table ('#' lines are comments) and checks it refers to known models and hardware. */
    public static List<ThroughputMeasurement> load(CatalogSource source, Catalog catalog) {
        String name = source.describe(FILE);
        byte[] bytes = source.read(FILE);
        List<Problem> problems = new ArrayList<>();
        List<ThroughputMeasurement> out = new ArrayList<>();
        if (bytes == null) throw new InvalidInputException(List.of(new Problem(name, 0, null, "file not found")));
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        boolean headerSeen = false;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            int lineNo = i + 1;
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] f = l.split("\t", -1);
            if (!headerSeen) {
                if (!List.of(f).equals(HEADER)) problems.add(new Problem(name, lineNo, null, "header must be " + String.join("\\t", HEADER)));
                headerSeen = true;
                continue;
            }
            if (f.length != HEADER.size()) {
                problems.add(new Problem(name, lineNo, null, "has " + f.length + " tab-separated fields, expected " + HEADER.size()));
                continue;
            }
            try {
                var m = new ThroughputMeasurement(lineNo, f[0], f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[4]),
                        Integer.parseInt(f[5]), f[6], Double.parseDouble(f[7]), f[8]);
                if (!catalog.models().containsKey(m.model())) problems.add(new Problem(name, lineNo, "model", "refers to unknown model '" + m.model() + "'"));
                if (!catalog.hardware().containsKey(m.hardware())) problems.add(new Problem(name, lineNo, "hardware", "refers to unknown hardware '" + m.hardware() + "'"));
                out.add(m);
            } catch (NumberFormatException e) {
                problems.add(new Problem(name, lineNo, null, "a number field is not a number: " + e.getMessage()));
            }
        }
        if (!problems.isEmpty()) throw new InvalidInputException(problems);
        return out;
    }
}
