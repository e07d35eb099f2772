package tokencost.catalog;

import java.math.BigInteger;

/**
 * Whole numbers read from text, with messages that say what happened: "99999999999" is not "not a whole number" but
 * too large for one.
 */
public final class WholeNumbers {
    private WholeNumbers() {}

    private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("[+-]?[0-9]+");

    /** The int {@code raw} writes; an IllegalArgumentException saying why when it writes none. */
    public static int parseInt(String raw) {
        return (int) parse(raw, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** The long {@code raw} writes; an IllegalArgumentException saying why when it writes none. */
    public static long parseLong(String raw) {
        return parse(raw, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private static long parse(String raw, long min, long max) {
        String s = raw == null ? "" : raw.strip();
        if (!DIGITS.matcher(s).matches()) throw new IllegalArgumentException(Problem.quote(raw) + " is not a whole number");
        BigInteger v = new BigInteger(s.startsWith("+") ? s.substring(1) : s);
        if (v.compareTo(BigInteger.valueOf(max)) > 0) throw new IllegalArgumentException(Problem.quote(raw) + " " + tooLarge(max));
        if (v.compareTo(BigInteger.valueOf(min)) < 0) throw new IllegalArgumentException(Problem.quote(raw) + " " + tooSmall(min));
        return v.longValue();
    }

    /** "is too large for a whole number (at most 2147483647)". */
    public static String tooLarge(long max) {
        return "is too large for a whole number (at most " + max + ")";
    }

    /** "is too small for a whole number (at least -2147483648)". */
    public static String tooSmall(long min) {
        return "is too small for a whole number (at least " + min + ")";
    }
}
