package tokencost.catalog;

import java.util.List;

/** Thrown when inputs have problems; carries every problem found, not just the first. */
public class InvalidInputException extends RuntimeException {
    private final List<Problem> problems;

    public InvalidInputException(List<Problem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String format(List<Problem> problems) {
        StringBuilder sb = new StringBuilder();
        sb.append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
          .append(" in the input; nothing was computed:");
        for (Problem p : problems) sb.append("\n  - ").append(p);
        return sb.toString();
    }
}
