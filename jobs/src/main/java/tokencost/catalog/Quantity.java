package tokencost.catalog;

import java.util.Locale;
import java.util.Random;

/**
 * A number that may be uncertain: a plain value, or a distribution written in a catalog cell as
 * {@code triangular(min;mode;max)}, {@code uniform(low;high)} or {@code lognormal(median;sigma)}.
 * Deterministic runs use the central value (mode, midpoint, median); Monte Carlo draws sample it.
 */
public record Quantity(Kind kind, double a, double b, double c, String text) implements java.io.Serializable {

    public enum Kind { FIXED, TRIANGULAR, UNIFORM, LOGNORMAL }

    public static Quantity fixed(double v) {
        return new Quantity(Kind.FIXED, v, v, v, String.valueOf(v));
    }

    /** Parses a cell; the message of the exception says what is wrong. */
    public static Quantity parse(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        int open = s.indexOf('(');
        if (open < 0) {
            double v = number(s, raw);
            return new Quantity(Kind.FIXED, v, v, v, raw.trim());
        }
        if (!s.endsWith(")")) throw new IllegalArgumentException("'" + raw + "': a distribution ends with ')'");
        String name = s.substring(0, open).trim();
        String[] args = s.substring(open + 1, s.length() - 1).split(";", -1);
        switch (name) {
            case "triangular" -> {
                expect(args, 3, raw, "triangular(min;mode;max)");
                double lo = number(args[0], raw), mode = number(args[1], raw), hi = number(args[2], raw);
                if (!(lo <= mode && mode <= hi && lo < hi)) throw new IllegalArgumentException("'" + raw + "': needs min <= mode <= max and min < max");
                return new Quantity(Kind.TRIANGULAR, lo, mode, hi, raw.trim());
            }
            case "uniform" -> {
                expect(args, 2, raw, "uniform(low;high)");
                double lo = number(args[0], raw), hi = number(args[1], raw);
                if (!(lo < hi)) throw new IllegalArgumentException("'" + raw + "': needs low < high");
                return new Quantity(Kind.UNIFORM, lo, hi, (lo + hi) / 2, raw.trim());
            }
            case "lognormal" -> {
                expect(args, 2, raw, "lognormal(median;sigma)");
                double median = number(args[0], raw), sigma = number(args[1], raw);
                if (!(median > 0 && sigma > 0)) throw new IllegalArgumentException("'" + raw + "': needs median > 0 and sigma > 0");
                return new Quantity(Kind.LOGNORMAL, median, sigma, median, raw.trim());
            }
            default -> throw new IllegalArgumentException("'" + raw + "': unknown distribution '" + name
                    + "' (use a number, triangular(min;mode;max), uniform(low;high) or lognormal(median;sigma))");
        }
    }

    private static void expect(String[] args, int n, String raw, String form) {
        if (args.length != n) throw new IllegalArgumentException("'" + raw + "': expected " + form + " with ';' between values");
    }

    private static double number(String s, String raw) {
        try {
            double d = Double.parseDouble(s.trim());
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a finite number or a distribution");
        }
    }

    /** The value a deterministic run uses: the value, the mode, the midpoint or the median. */
    public double central() {
        return switch (kind) {
            case FIXED -> a;
            case TRIANGULAR -> b;
            case UNIFORM -> c;
            case LOGNORMAL -> a;
        };
    }

    public double min() {
        return switch (kind) {
            case FIXED, TRIANGULAR, UNIFORM -> a;
            case LOGNORMAL -> 0;
        };
    }

    public double max() {
        return switch (kind) {
            case FIXED -> a;
            case TRIANGULAR -> c;
            case UNIFORM -> b;
            case LOGNORMAL -> Double.POSITIVE_INFINITY;
        };
    }

    /** One draw. */
    public double sample(Random r) {
        return switch (kind) {
            case FIXED -> a;
            case UNIFORM -> a + (b - a) * r.nextDouble();
            case LOGNORMAL -> a * Math.exp(b * r.nextGaussian());
            case TRIANGULAR -> {
                double u = r.nextDouble();
                double f = (b - a) / (c - a);
                yield u < f ? a + Math.sqrt(u * (c - a) * (b - a)) : c - Math.sqrt((1 - u) * (c - a) * (c - b));
            }
        };
    }

    public boolean isUncertain() {
        return kind != Kind.FIXED;
    }
}
