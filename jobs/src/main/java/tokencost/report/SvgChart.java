package tokencost.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Draws a {@link ChartSpec} over a query result as a self-contained SVG file (no scripts, no fonts to fetch):
 * line charts with optional P10-P90 bands and markers, grouped or stacked bars, scatter plots; linear or log axes.
 */
public final class SvgChart {
    static final int WIDTH = 840, HEIGHT = 470, LEFT = 100, RIGHT = 210, TOP = 44, BOTTOM = 96;
    static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
        "#9c755f", "#bab0ac", "#1f77b4", "#2ca02c"};
    private static final int MAX_SERIES = 12;

    private SvgChart() {}

    /** A query result: column names and rows. */
    public record Table(List<String> columns, List<Object[]> rows) {
        int index(String column) {
            int i = columns.indexOf(column);
            if (i < 0) throw new IllegalArgumentException("chart: the result has no column '" + column + "' (columns: " + columns + ")");
            return i;
        }
    }

    public static String render(ChartSpec spec, Table t) {
        for (String c : spec.columns()) t.index(c);
        return switch (spec.kind()) {
            case "bar" -> bars(spec, t);
            default -> xy(spec, t);
        };
    }

    // ---------------------------------------------------------------- line and scatter

    private record Point(double x, double y, double low, double high) {}

    private static String xy(ChartSpec spec, Table t) {
        int xi = t.index(spec.x());
        int si = spec.series() == null ? -1 : t.index(spec.series());
        Map<String, List<Point>> lines = new LinkedHashMap<>();
        Map<String, Set<Double>> markers = new LinkedHashMap<>();
        for (Object[] r : t.rows()) {
            String s = si < 0 ? "" : String.valueOf(r[si]);
            Double x = num(r[xi]);
            if (x == null || (spec.logX() && x <= 0)) continue;
            for (String y : spec.ys()) {
                Double v = num(r[t.index(y)]);
                if (v == null || (spec.logY() && v <= 0)) continue;
                String name = spec.ys().size() == 1 ? s : (s.isEmpty() ? y : s + " · " + y);
                Double lo = spec.bandLow() == null ? null : num(r[t.index(spec.bandLow())]);
                Double hi = spec.bandHigh() == null ? null : num(r[t.index(spec.bandHigh())]);
                lines.computeIfAbsent(name, k -> new ArrayList<>()).add(new Point(x, v, lo == null ? Double.NaN : lo, hi == null ? Double.NaN : hi));
            }
            if (spec.marker() != null) {
                Double mk = num(r[t.index(spec.marker())]);
                if (mk != null) markers.computeIfAbsent(s, k -> new LinkedHashSet<>()).add(mk);
            }
        }
        List<String> names = new ArrayList<>(lines.keySet());
        if (names.size() > MAX_SERIES) names = names.subList(0, MAX_SERIES);
        double xmin = Double.POSITIVE_INFINITY, xmax = Double.NEGATIVE_INFINITY, ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
        for (String n : names) {
            for (Point p : lines.get(n)) {
                xmin = Math.min(xmin, p.x());
                xmax = Math.max(xmax, p.x());
                for (double v : new double[] {p.y(), p.low(), p.high()}) {
                    if (Double.isFinite(v) && (!spec.logY() || v > 0)) {
                        ymin = Math.min(ymin, v);
                        ymax = Math.max(ymax, v);
                    }
                }
            }
        }
        StringBuilder svg = open(spec);
        if (names.isEmpty()) return empty(svg);
        if (spec.diagonal()) {
            // one range for both axes, so that y = x is the 45-degree line
            xmin = ymin = Math.min(xmin, ymin);
            xmax = ymax = Math.max(xmax, ymax);
        }
        Axis ax = new Axis(xmin, xmax, spec.logX(), LEFT, WIDTH - RIGHT, false);
        Axis ay = new Axis(spec.logY() || spec.diagonal() ? ymin : Math.min(0, ymin), ymax, spec.logY(), HEIGHT - BOTTOM, TOP, true);
        axes(svg, spec, ax, ay);
        if (spec.diagonal()) {
            svg.append("<line class=\"diagonal\" x1=\"").append(fmt(ax.map(xmin))).append("\" y1=\"").append(fmt(ay.map(xmin)))
                    .append("\" x2=\"").append(fmt(ax.map(xmax))).append("\" y2=\"").append(fmt(ay.map(xmax)))
                    .append("\" stroke=\"#888\" stroke-dasharray=\"6,4\" stroke-width=\"1.2\"/>\n");
            svg.append(text(ax.map(xmax) - 4, ay.map(xmax) + 14, "y = x", "end", 10, "#666"));
        }
        for (int i = 0; i < names.size(); i++) {
            List<Point> pts = new ArrayList<>(lines.get(names.get(i)));
            pts.sort((a, b) -> Double.compare(a.x(), b.x()));
            String color = PALETTE[i % PALETTE.length];
            if (spec.bandLow() != null) {
                StringBuilder up = new StringBuilder(), down = new StringBuilder();
                for (Point p : pts) if (Double.isFinite(p.high()) && (!spec.logY() || p.high() > 0)) up.append(fmt(ax.map(p.x()))).append(',').append(fmt(ay.map(p.high()))).append(' ');
                for (int k = pts.size() - 1; k >= 0; k--) {
                    Point p = pts.get(k);
                    if (Double.isFinite(p.low()) && (!spec.logY() || p.low() > 0)) down.append(fmt(ax.map(p.x()))).append(',').append(fmt(ay.map(p.low()))).append(' ');
                }
                if (!up.isEmpty() && !down.isEmpty()) {
                    svg.append("<polygon points=\"").append(up).append(down).append("\" fill=\"").append(color).append("\" fill-opacity=\"0.18\" stroke=\"none\"/>\n");
                }
            }
            if (spec.kind().equals("scatter")) {
                for (Point p : pts) {
                    svg.append("<circle cx=\"").append(fmt(ax.map(p.x()))).append("\" cy=\"").append(fmt(ay.map(p.y())))
                            .append("\" r=\"3.5\" fill=\"").append(color).append("\" fill-opacity=\"0.75\"/>\n");
                }
            } else {
                StringBuilder d = new StringBuilder();
                for (Point p : pts) d.append(d.isEmpty() ? "M" : " L").append(fmt(ax.map(p.x()))).append(',').append(fmt(ay.map(p.y())));
                svg.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\"/>\n");
            }
            String seriesKey = spec.ys().size() == 1 ? names.get(i) : names.get(i).split(" · ")[0];
            for (double mk : markers.getOrDefault(seriesKey, Set.of())) {
                if (mk < xmin || mk > xmax) continue;
                double px = ax.map(mk);
                svg.append("<line x1=\"").append(fmt(px)).append("\" x2=\"").append(fmt(px)).append("\" y1=\"").append(TOP)
                        .append("\" y2=\"").append(HEIGHT - BOTTOM).append("\" stroke=\"").append(color)
                        .append("\" stroke-dasharray=\"5,4\" stroke-width=\"1.5\"/>\n");
                svg.append(text(px + 3, TOP + 12 + 12 * (i % 4), spec.marker() + " " + label(mk), "start", 10, color));
            }
        }
        legend(svg, names);
        return svg.append("</svg>\n").toString();
    }

    // ---------------------------------------------------------------- bars

    private static String bars(ChartSpec spec, Table t) {
        int xi = t.index(spec.x());
        int si = spec.series() == null ? -1 : t.index(spec.series());
        List<String> cats = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        Map<String, Double> values = new LinkedHashMap<>();
        for (Object[] r : t.rows()) {
            String c = String.valueOf(r[xi]);
            for (String y : spec.ys()) {
                Double v = num(r[t.index(y)]);
                if (v == null || (spec.logY() && v <= 0)) continue;
                String g = si >= 0 ? String.valueOf(r[si]) + (spec.ys().size() > 1 ? " · " + y : "") : y;
                if (!cats.contains(c)) cats.add(c);
                if (!groups.contains(g)) groups.add(g);
                values.merge(c + "\u0000" + g, v, Double::sum);
            }
        }
        if (groups.size() > MAX_SERIES) groups = groups.subList(0, MAX_SERIES);
        StringBuilder svg = open(spec);
        if (cats.isEmpty()) return empty(svg);
        double ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
        for (String c : cats) {
            double stack = 0;
            for (String g : groups) {
                Double v = values.get(c + "\u0000" + g);
                if (v == null) continue;
                stack += v;
                double top = spec.stacked() ? stack : v;
                ymin = Math.min(ymin, spec.stacked() ? Math.min(v, stack) : v);
                ymax = Math.max(ymax, top);
            }
        }
        Axis ay = new Axis(spec.logY() ? ymin : Math.min(0, ymin), ymax, spec.logY(), HEIGHT - BOTTOM, TOP, true);
        double band = (double) (WIDTH - RIGHT - LEFT) / cats.size();
        axes(svg, spec, null, ay);
        double base = ay.map(ay.lo);
        for (int ci = 0; ci < cats.size(); ci++) {
            String c = cats.get(ci);
            double x0 = LEFT + ci * band + band * 0.1;
            double w = band * 0.8 / (spec.stacked() ? 1 : groups.size());
            double stack = spec.logY() ? ay.lo : 0;
            for (int gi = 0; gi < groups.size(); gi++) {
                Double v = values.get(c + "\u0000" + groups.get(gi));
                if (v == null) continue;
                double y0, y1, x;
                if (spec.stacked()) {
                    y0 = ay.map(stack);
                    stack += v;
                    y1 = ay.map(stack);
                    x = x0;
                } else {
                    y0 = base;
                    y1 = ay.map(v);
                    x = x0 + gi * w;
                }
                svg.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(Math.min(y0, y1))).append("\" width=\"")
                        .append(fmt(Math.max(1, w - 1))).append("\" height=\"").append(fmt(Math.abs(y0 - y1))).append("\" fill=\"")
                        .append(PALETTE[gi % PALETTE.length]).append("\"><title>").append(esc(c + " / " + groups.get(gi) + ": " + label(v)))
                        .append("</title></rect>\n");
            }
            double cx = LEFT + (ci + 0.5) * band;
            svg.append("<text x=\"").append(fmt(cx)).append("\" y=\"").append(HEIGHT - BOTTOM + 14)
                    .append("\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-30 ").append(fmt(cx)).append(' ')
                    .append(HEIGHT - BOTTOM + 14).append(")\">").append(esc(shorten(c, 22))).append("</text>\n");
        }
        legend(svg, groups);
        return svg.append("</svg>\n").toString();
    }

    // ---------------------------------------------------------------- axes, legend, helpers

    /** A linear or log10 scale from data [lo, hi] to pixels [p0, p1], with readable ticks. */
    static final class Axis {
        final double lo, hi;
        final boolean log;
        final double p0, p1;

        Axis(double lo, double hi, boolean log, double p0, double p1, boolean vertical) {
            if (log) {
                lo = Math.pow(10, Math.floor(Math.log10(lo)));
                hi = Math.pow(10, Math.ceil(Math.log10(hi)));
                if (hi <= lo) hi = lo * 10;
            } else {
                if (hi <= lo) {
                    double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
                    lo -= pad;
                    hi += pad;
                }
                double step = niceStep((hi - lo) / 5);
                lo = Math.floor(lo / step) * step;
                hi = Math.ceil(hi / step) * step;
            }
            this.lo = lo;
            this.hi = hi;
            this.log = log;
            this.p0 = p0;
            this.p1 = p1;
        }

        double map(double v) {
            double f = log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
            return p0 + f * (p1 - p0);
        }

        List<Double> ticks() {
            List<Double> t = new ArrayList<>();
            if (log) {
                int a = (int) Math.round(Math.log10(lo)), b = (int) Math.round(Math.log10(hi));
                int stride = Math.max(1, (b - a) / 8);
                for (int e = a; e <= b; e += stride) t.add(Math.pow(10, e));
            } else {
                double step = niceStep((hi - lo) / 5);
                for (double v = lo; v <= hi + step * 1e-9; v += step) t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
            }
            return t;
        }
    }

    static double niceStep(double raw) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    }

    private static StringBuilder open(ChartSpec spec) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" font-family=\"sans-serif\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        svg.append(text(LEFT, 24, spec.title(), "start", 15, "#222"));
        return svg;
    }

    private static String empty(StringBuilder svg) {
        svg.append(text(WIDTH / 2.0, HEIGHT / 2.0, "no rows to draw", "middle", 14, "#888"));
        return svg.append("</svg>\n").toString();
    }

    private static void axes(StringBuilder svg, ChartSpec spec, Axis ax, Axis ay) {
        int x0 = LEFT, x1 = WIDTH - RIGHT, y0 = HEIGHT - BOTTOM, y1 = TOP;
        for (double t : ay.ticks()) {
            double y = ay.map(t);
            svg.append("<line x1=\"").append(x0).append("\" x2=\"").append(x1).append("\" y1=\"").append(fmt(y)).append("\" y2=\"")
                    .append(fmt(y)).append("\" stroke=\"#e4e4e4\"/>\n");
            svg.append(text(x0 - 6, y + 4, label(t), "end", 11, "#444"));
        }
        if (ax != null) {
            for (double t : ax.ticks()) {
                double x = ax.map(t);
                svg.append("<line x1=\"").append(fmt(x)).append("\" x2=\"").append(fmt(x)).append("\" y1=\"").append(y0)
                        .append("\" y2=\"").append(y0 + 5).append("\" stroke=\"#444\"/>\n");
                svg.append(text(x, y0 + 18, label(t), "middle", 11, "#444"));
            }
        }
        svg.append("<line x1=\"").append(x0).append("\" x2=\"").append(x1).append("\" y1=\"").append(y0).append("\" y2=\"").append(y0)
                .append("\" stroke=\"#444\"/>\n");
        svg.append("<line x1=\"").append(x0).append("\" x2=\"").append(x0).append("\" y1=\"").append(y0).append("\" y2=\"").append(y1)
                .append("\" stroke=\"#444\"/>\n");
        svg.append(text((x0 + x1) / 2.0, HEIGHT - 8, spec.xLabel() + (spec.logX() ? " (log)" : ""), "middle", 12, "#222"));
        svg.append("<text x=\"16\" y=\"").append((y0 + y1) / 2).append("\" font-size=\"12\" fill=\"#222\" text-anchor=\"middle\" transform=\"rotate(-90 16 ")
                .append((y0 + y1) / 2).append(")\">").append(esc(shorten(spec.yLabel() + (spec.logY() ? " (log)" : ""), 60))).append("</text>\n");
    }

    private static void legend(StringBuilder svg, List<String> names) {
        int x = WIDTH - RIGHT + 14;
        for (int i = 0; i < names.size(); i++) {
            int y = TOP + 8 + i * 18;
            svg.append("<rect x=\"").append(x).append("\" y=\"").append(y - 9).append("\" width=\"12\" height=\"12\" fill=\"")
                    .append(PALETTE[i % PALETTE.length]).append("\"/>\n");
            svg.append(text(x + 18, y + 1, shorten(names.get(i).isEmpty() ? "(all)" : names.get(i), 28), "start", 11, "#222"));
        }
    }

    private static String text(double x, double y, String s, String anchor, int size, String color) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" font-size=\"" + size + "\" fill=\"" + color + "\" text-anchor=\"" + anchor
                + "\">" + esc(s) + "</text>\n";
    }

    /** Tick and cell labels: plain between 0.001 and 100,000 (4 significant digits), else 1.5e21 style; never "NaN". */
    static String label(double v) {
        double a = Math.abs(v);
        if (a == 0) return "0";
        if (a >= 1e5 || a < 1e-3) {
            String s = String.format(Locale.ROOT, "%.2e", v);
            String mantissa = s.substring(0, s.indexOf('e')).replaceAll("\\.?0+$", "");
            int exponent = Integer.parseInt(s.substring(s.indexOf('e') + 1));
            return mantissa + "e" + exponent;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    static Double num(Object o) {
        if (o instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        if (o instanceof java.sql.Date d) return (double) d.toLocalDate().toEpochDay();
        return null;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String shorten(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
