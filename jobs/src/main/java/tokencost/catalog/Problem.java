package tokencost.catalog;

import java.util.Collection;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One thing wrong with an input: where it is (file, line, field) and why it is wrong. */
public record Problem(String file, int line, String field, String reason) {

    /** Longest value a message quotes back: a longer one is cut (a 50 MB one-line file is not printed back). */
    public static final int MAX_VALUE_CHARS = 80;
    /** Longest reason printed: the last guard against a value that could not be cut as a quoted value. */
    static final int MAX_REASON_CHARS = 1000;

    private static final Pattern QUOTED = Pattern.compile("'([^']{" + (MAX_VALUE_CHARS + 1) + ",})'");

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) sb.append(':').append(line);
        if (field != null && !field.isEmpty()) sb.append(": field '").append(oneLine(cut(field))).append('\'');
        return sb.append(": ").append(printable(reason)).toString();
    }

    /** A value as a message quotes it: at most {@link #MAX_VALUE_CHARS} characters, the rest cut with "…". */
    public static String cut(String value) {
        if (value == null || value.length() <= MAX_VALUE_CHARS) return value;
        return value.substring(0, MAX_VALUE_CHARS - 1) + "…";
    }

    /** {@code 'value'} with the value cut to {@link #MAX_VALUE_CHARS} characters. */
    public static String quote(String value) {
        return "'" + cut(value) + "'";
    }

    /** A reason on one line, every quoted value in it cut, and at most {@link #MAX_REASON_CHARS} characters in all. */
    static String printable(String reason) {
        if (reason == null) return "";
        String r = reason;
        if (r.length() > MAX_VALUE_CHARS + 2) {
            Matcher m = QUOTED.matcher(r);
            StringBuilder out = new StringBuilder();
            while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(quote(m.group(1))));
            m.appendTail(out);
            r = out.toString();
        }
        r = oneLine(r);
        return r.length() > MAX_REASON_CHARS ? r.substring(0, MAX_REASON_CHARS - 1) + "…" : r;
    }

    private static String oneLine(String s) {
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace("\r", "\\r").replace("\n", "\\n");
    }

    /**
     * The id a person probably meant when {@code id} is not known: one that differs only in case (ids are matched
     * case-sensitively), as " (did you mean 'x'?)"; else the known ids, as " (known: a, b)"; "" when none are known.
     */
    public static String unknownIdHint(String id, Collection<String> known) {
        if (id != null) {
            for (String k : known) {
                if (k.toLowerCase(Locale.ROOT).equals(id.toLowerCase(Locale.ROOT))) return " (did you mean '" + k + "'?)";
            }
        }
        return known.isEmpty() ? "" : " (known: " + String.join(", ", known) + ")";
    }
}
