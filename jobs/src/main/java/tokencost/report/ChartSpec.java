package tokencost.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to draw from a cell's result, written in the cell as a comment:
 * {@code -- chart: line x=month y=p50 series=scenario band=p10:p90 marker=crossover_month logy title="..."}.
 *
 * @param kind    line (curves over x), bar (categories on x; grouped by series or stacked), scatter
 * @param x       column on the horizontal axis
 * @param ys      columns drawn on the vertical axis (one line / bar set each)
 * @param series  column whose values split the rows into coloured series (null: none)
 * @param bandLow column of the band's lower edge (line charts; null: no band), {@code bandHigh} its upper edge
 * @param marker  column whose non-null values are marked with a vertical line per series (e.g. a crossover month)
 * @param diagonal draw the y = x line, both axes over the same range (predicted vs measured)
 */
public record ChartSpec(String kind, String x, List<String> ys, String series, String bandLow, String bandHigh, String marker,
                        boolean logX, boolean logY, boolean stacked, boolean diagonal, String title, String xLabel, String yLabel) {

    private static final Set<String> KINDS = Set.of("line", "bar", "scatter");
    private static final Set<String> KEYS = Set.of("x", "y", "series", "band", "marker", "title", "xlabel", "ylabel");
    private static final Set<String> FLAGS = Set.of("logx", "logy", "stacked", "diagonal");
    private static final Pattern TOKEN = Pattern.compile("(\\w+)(?:=(?:\"([^\"]*)\"|(\\S+)))?");

    public static ChartSpec parse(String text) {
        Matcher m = TOKEN.matcher(text.strip());
        String kind = null;
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> flags = new ArrayList<>();
        while (m.find()) {
            String key = m.group(1);
            String value = m.group(2) != null ? m.group(2) : m.group(3);
            if (kind == null) {
                if (!KINDS.contains(key)) throw new IllegalArgumentException("chart: unknown kind '" + key + "' (use " + KINDS + ")");
                kind = key;
            } else if (value == null) {
                if (!FLAGS.contains(key)) throw new IllegalArgumentException("chart: unknown flag '" + key + "' (use " + FLAGS + ")");
                flags.add(key);
            } else {
                if (!KEYS.contains(key)) throw new IllegalArgumentException("chart: unknown option '" + key + "' (use " + KEYS + ")");
                opts.put(key, value);
            }
        }
        if (kind == null) throw new IllegalArgumentException("chart: give a kind first (" + KINDS + ")");
        if (!opts.containsKey("x") || !opts.containsKey("y")) throw new IllegalArgumentException("chart: x= and y= are required");
        String low = null, high = null;
        if (opts.containsKey("band")) {
            String[] b = opts.get("band").split(":");
            if (b.length != 2) throw new IllegalArgumentException("chart: band=LOW:HIGH (two columns)");
            low = b[0];
            high = b[1];
        }
        return new ChartSpec(kind, opts.get("x"), List.of(opts.get("y").split(",")), opts.get("series"), low, high, opts.get("marker"),
                flags.contains("logx"), flags.contains("logy"), flags.contains("stacked"), flags.contains("diagonal"), opts.getOrDefault("title", ""),
                opts.getOrDefault("xlabel", opts.get("x")), opts.getOrDefault("ylabel", String.join(", ", List.of(opts.get("y").split(",")))));
    }

    /** Every column the chart reads. */
    public List<String> columns() {
        List<String> c = new ArrayList<>();
        c.add(x);
        c.addAll(ys);
        if (series != null) c.add(series);
        if (bandLow != null) {
            c.add(bandLow);
            c.add(bandHigh);
        }
        if (marker != null) c.add(marker);
        return c;
    }
}
