package tokencost.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Human-readable rendering: key/value blocks and aligned tables with numbers to 4 significant digits. */
final class Text {
    private Text() {}

    static String keyValues(Map<String, Object> m) {
        int width = 0;
        for (String k : m.keySet()) width = Math.max(width, k.length());
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            sb.append(String.format("%-" + width + "s  %s%n", e.getKey(), value(e.getValue())));
        }
        return sb.toString();
    }

    static String table(List<String> header, List<List<Object>> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(header);
        for (List<Object> r : rows) {
            List<String> c = new ArrayList<>();
            for (Object o : r) c.add(value(o));
            cells.add(c);
        }
        int[] widths = new int[header.size()];
        for (List<String> r : cells) for (int i = 0; i < r.size(); i++) widths[i] = Math.max(widths[i], r.get(i).length());
        StringBuilder sb = new StringBuilder();
        for (List<String> r : cells) {
            for (int i = 0; i < r.size(); i++) {
                sb.append(i == 0 ? "" : "  ");
                sb.append(i == r.size() - 1 ? r.get(i) : String.format("%-" + widths[i] + "s", r.get(i)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String value(Object v) {
        if (v == null) return "-";
        if (v instanceof Double d) return number(d);
        return v.toString();
    }

    static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.valueOf((long) d);
        double a = Math.abs(d);
        if (a >= 1e6 || a < 1e-3) return String.format("%.4g", d);
        if (a >= 1000) return String.format("%.0f", d);
        if (a >= 100) return String.format("%.1f", d);
        if (a >= 10) return String.format("%.2f", d);
        if (a >= 1) return String.format("%.3f", d);
        return String.format("%.4f", d);
    }
}
