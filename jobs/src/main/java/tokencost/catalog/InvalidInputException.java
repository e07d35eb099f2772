package tokencost.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thrown when inputs have problems; carries every problem found, not just the first. Its message lists them, at most
 * {@link #maxPerFile()} per file (then "... and K more problems in FILE"), each quoted value cut (see {@link Problem}).
 */
public class InvalidInputException extends RuntimeException {
    /** System property: how many problems of one file are printed (default {@value #DEFAULT_MAX_PER_FILE}). */
    public static final String MAX_PER_FILE_PROPERTY = "tokencost.problems-per-file";
    public static final int DEFAULT_MAX_PER_FILE = 50;

    private static final String MORE = "... and ";

    private final List<Problem> problems;

    public InvalidInputException(List<Problem> problems) {
        super(format(problems, maxPerFile()));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** Problems printed per file: the system property {@value #MAX_PER_FILE_PROPERTY}, else {@value #DEFAULT_MAX_PER_FILE}. */
    public static int maxPerFile() {
        try {
            int n = Integer.parseInt(System.getProperty(MAX_PER_FILE_PROPERTY, String.valueOf(DEFAULT_MAX_PER_FILE)).strip());
            return n >= 1 ? n : DEFAULT_MAX_PER_FILE;
        } catch (NumberFormatException e) {
            return DEFAULT_MAX_PER_FILE;
        }
    }

    /** The problems as the CLI prints them: a count, then one line each, at most {@code maxPerFile} per file. */
    static String format(List<Problem> problems, int maxPerFile) {
        StringBuilder sb = new StringBuilder();
        sb.append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
          .append(" in the input; nothing was computed:");
        for (String line : lines(problems, maxPerFile)) sb.append(line.startsWith(MORE) ? "\n  " : "\n  - ").append(line);
        return sb.toString();
    }

    /** One line per problem, at most {@code maxPerFile} of each file, each file's rest as one "... and K more" line. */
    public static List<String> lines(List<Problem> problems, int maxPerFile) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        Map<String, Integer> moreAt = new LinkedHashMap<>(); // file -> index in out of its "... and K more" line
        List<String> out = new ArrayList<>();
        for (Problem p : problems) {
            String file = String.valueOf(p.file());
            int n = seen.merge(file, 1, Integer::sum);
            if (n <= maxPerFile) {
                out.add(p.toString());
            } else if (n == maxPerFile + 1) {
                moreAt.put(file, out.size());
                out.add(null);
            }
        }
        for (var e : moreAt.entrySet()) {
            int more = seen.get(e.getKey()) - maxPerFile;
            out.set(e.getValue(), MORE + more + " more problem" + (more == 1 ? "" : "s") + " in " + e.getKey());
        }
        return out;
    }
}
