package tokencost.conf;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tokencost.catalog.Problem;

/**
 * Keys one HOCON file sets twice with different values ({@code models = [a]} on line 3, {@code tokencost.sweep.models =
 * [b]} on line 40): HOCON keeps the later one without a word, which hides a mistake more often than it expresses an
 * intent. Typesafe Config keeps no trace of the earlier value, so this reads the file's text: keys (dotted, quoted,
 * nested in objects) and the text of their values, compared as HOCON values ({@code [a, b]} equals {@code ["a","b"]}).
 * Not a duplicate: a key set again to the same value, an append ({@code +=}), a value that refers to the key itself
 * ({@code a = ${a} [x]}) or that may be missing ({@code a = ${?ENV}}, HOCON's way to let the environment override), and
 * objects (they merge). An included file is its own file: a conf that includes another and sets one of its keys
 * overrides it on purpose. Best effort: text this scanner does not follow gives no warnings (the real parser reports
 * real syntax errors).
 */
final class ConfDuplicates {

    /** One assignment: the key's path, its value as written, and the line. */
    private record Assignment(List<String> path, String value, int line) {}

    private static final class CannotFollow extends RuntimeException {
        CannotFollow() {
            super(null, null, false, false);
        }
    }

    private final String text;
    private int pos;
    private int line = 1;
    private final List<Assignment> assignments = new ArrayList<>();

    private ConfDuplicates(String text) {
        this.text = text;
    }

    /** The warnings for {@code text}, the content of {@code file}: one per key set again to another value. */
    static List<Problem> find(String file, String text) {
        ConfDuplicates s = new ConfDuplicates(text);
        try {
            s.skipBlank();
            if (s.peek() == '{') { // a root object in braces
                s.pos++;
                s.objectBody(List.of(), true);
            } else {
                s.objectBody(List.of(), false);
            }
        } catch (CannotFollow | IndexOutOfBoundsException e) {
            return List.of();
        }
        List<Problem> out = new ArrayList<>();
        Map<List<String>, Assignment> last = new HashMap<>();
        for (Assignment a : s.assignments) {
            Assignment before = last.put(a.path(), a);
            if (before != null && !sameValue(before.value(), a.value())) {
                out.add(new Problem(file, a.line(), String.join(".", a.path()), "set twice with different values: "
                        + Problem.cut(oneLine(a.value())) + " here, " + Problem.cut(oneLine(before.value())) + " on line "
                        + before.line() + " (the later one wins)"));
            }
        }
        return out;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*\\n\\s*", " ");
    }

    /** Whether two value texts are the same HOCON value (else, when either does not parse alone, the same text). */
    static boolean sameValue(String a, String b) {
        if (a.equals(b)) return true;
        try {
            ConfigRenderOptions concise = ConfigRenderOptions.concise();
            return ConfigFactory.parseString("v = " + a).resolve().getValue("v").render(concise)
                    .equals(ConfigFactory.parseString("v = " + b).resolve().getValue("v").render(concise));
        } catch (ConfigException e) {
            return false;
        }
    }

    // ---- the scanner ----

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private boolean at(String s) {
        return text.startsWith(s, pos);
    }

    private boolean eof() {
        return pos >= text.length();
    }

    private void advance() {
        if (text.charAt(pos) == '\n') line++;
        pos++;
    }

    /** Spaces, newlines, commas between fields and comments. */
    private void skipBlank() {
        while (!eof()) {
            char c = peek();
            if (c == '#' || at("//")) {
                while (!eof() && peek() != '\n') pos++;
            } else if (Character.isWhitespace(c) || c == ',' || c == '\uFEFF') {
                advance();
            } else {
                return;
            }
        }
    }

    private void skipSpaces() {
        while (!eof() && peek() != '\n' && Character.isWhitespace(peek())) pos++;
    }

    /** The fields of an object until its closing brace (or the end of the file for the root). */
    private void objectBody(List<String> prefix, boolean braced) {
        while (true) {
            skipBlank();
            if (eof()) {
                if (braced) throw new CannotFollow();
                return;
            }
            if (peek() == '}') {
                if (!braced) throw new CannotFollow();
                pos++;
                return;
            }
            if (isInclude()) {
                while (!eof() && peek() != '\n') pos++;
                continue;
            }
            List<String> key = key();
            List<String> path = new ArrayList<>(prefix);
            path.addAll(key);
            skipSpaces();
            if (peek() == '{') {
                pos++;
                objectBody(path, true);
            } else if (peek() == '=' || peek() == ':' || at("+=")) {
                boolean append = at("+=");
                pos += append ? 2 : 1;
                skipSpaces();
                if (peek() == '{') {
                    pos++;
                    objectBody(path, true);
                    continue;
                }
                int valueLine = line;
                String value = value(braced);
                String self = "${" + String.join(".", path) + "}";
                if (!append && !value.contains("${?") && !value.contains(self) && !value.contains("${" + String.join(".", key) + "}")) {
                    assignments.add(new Assignment(List.copyOf(path), value, valueLine));
                }
            } else {
                throw new CannotFollow();
            }
        }
    }

    private boolean isInclude() {
        if (!at("include")) return false;
        int p = pos + "include".length();
        if (p >= text.length() || !Character.isWhitespace(text.charAt(p))) return false;
        while (p < text.length() && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) p++;
        return p < text.length() && (text.charAt(p) == '"' || text.startsWith("required(", p) || text.startsWith("file(", p)
                || text.startsWith("classpath(", p) || text.startsWith("url(", p));
    }

    /** A key: dot-separated segments, unquoted or quoted ("a.b" is one segment). */
    private List<String> key() {
        List<String> segments = new ArrayList<>();
        StringBuilder seg = new StringBuilder();
        boolean any = false;
        while (!eof()) {
            char c = peek();
            if (c == '"') {
                if (at("\"\"\"")) throw new CannotFollow();
                seg.append(quoted());
                any = true;
            } else if (c == '.') {
                segments.add(seg.toString().strip());
                seg.setLength(0);
                pos++;
            } else if (c == '=' || c == ':' || c == '{' || at("+=")) {
                break;
            } else if (c == '\n' || c == '}' || c == '[' || c == ']' || c == ',' || c == '#' || at("//") || c == '$') {
                throw new CannotFollow();
            } else {
                seg.append(c);
                any = true;
                pos++;
            }
        }
        if (!any) throw new CannotFollow();
        segments.add(seg.toString().strip());
        for (String s : segments) if (s.isEmpty()) throw new CannotFollow();
        return segments;
    }

    /** A quoted string (the scanner is on its opening quote), unescaped enough to compare keys. */
    private String quoted() {
        StringBuilder out = new StringBuilder();
        pos++;
        while (true) {
            if (eof() || peek() == '\n') throw new CannotFollow();
            char c = peek();
            if (c == '\\') {
                pos++;
                if (eof()) throw new CannotFollow();
                out.append(peek());
                pos++;
            } else if (c == '"') {
                pos++;
                return out.toString();
            } else {
                out.append(c);
                pos++;
            }
        }
    }

    /** The text of a value: up to the end of its line, a comma or the object's closing brace, outside brackets and quotes. */
    private String value(boolean braced) {
        int start = pos;
        int depth = 0;
        while (!eof()) {
            char c = peek();
            if (at("\"\"\"")) {
                pos += 3;
                int end = text.indexOf("\"\"\"", pos);
                if (end < 0) throw new CannotFollow();
                while (pos < end + 3) advance();
                while (peek() == '"') pos++; // """ may end with more quotes
            } else if (c == '"') {
                quoted();
            } else if (at("${")) {
                int end = text.indexOf('}', pos);
                if (end < 0) throw new CannotFollow();
                pos = end + 1;
            } else if (c == '[' || c == '{') {
                depth++;
                pos++;
            } else if (c == ']' || c == '}') {
                if (depth == 0) {
                    if (c == '}' && braced) break;
                    throw new CannotFollow();
                }
                depth--;
                pos++;
            } else if (depth == 0 && (c == '\n' || c == ',' || c == '#' || at("//"))) {
                break;
            } else if (depth > 0 && (c == '#' || at("//"))) {
                while (!eof() && peek() != '\n') pos++;
            } else {
                advance();
            }
        }
        if (depth != 0) throw new CannotFollow();
        String v = text.substring(start, pos).strip();
        if (v.isEmpty()) throw new CannotFollow();
        return v;
    }
}
