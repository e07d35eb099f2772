package tokencost.report;

/**
 * The markdown notebooks use, to HTML: headings, paragraphs, bullet and numbered lists, pipe tables, and inline
 * code, bold, italics and links. Everything else is escaped text.
 */
public final class Markdown {
    private Markdown() {}

    public static String html(String md) {
        StringBuilder out = new StringBuilder();
        String[] lines = md.split("\n");
        StringBuilder para = new StringBuilder();
        String list = null;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            String t = l.strip();
            boolean bullet = t.startsWith("- ") || t.startsWith("* ");
            boolean numbered = t.matches("\\d+\\.\\s.*");
            if (t.isEmpty() || t.startsWith("#") || bullet || numbered || t.startsWith("|")) {
                if (!para.isEmpty()) {
                    out.append("<p>").append(inline(para.toString().strip())).append("</p>\n");
                    para.setLength(0);
                }
            }
            if (list != null && !(bullet || numbered)) {
                if (!t.isEmpty() && l.startsWith("  ")) { // continuation of a list item
                    int end = out.lastIndexOf("</li>");
                    out.insert(end, " " + inline(t));
                    continue;
                }
                out.append("</").append(list).append(">\n");
                list = null;
            }
            if (t.isEmpty()) continue;
            if (t.startsWith("#")) {
                int level = Math.min(6, t.length() - t.replaceFirst("^#+", "").length());
                out.append("<h").append(level).append('>').append(inline(t.substring(level).strip())).append("</h").append(level).append(">\n");
            } else if (bullet || numbered) {
                String kind = bullet ? "ul" : "ol";
                if (list == null) {
                    out.append('<').append(kind).append(">\n");
                    list = kind;
                }
                out.append("<li>").append(inline(t.replaceFirst("^(- |\\* |\\d+\\.\\s)", ""))).append("</li>\n");
            } else if (t.startsWith("|")) {
                out.append("<table class=\"md\">\n");
                boolean header = true;
                for (; i < lines.length && lines[i].strip().startsWith("|"); i++) {
                    String row = lines[i].strip();
                    if (row.matches("\\|[\\s:|-]+\\|?")) continue; // the |---|---| rule
                    out.append("<tr>");
                    for (String cell : row.replaceAll("^\\||\\|$", "").split("\\|")) {
                        out.append(header ? "<th>" : "<td>").append(inline(cell.strip())).append(header ? "</th>" : "</td>");
                    }
                    out.append("</tr>\n");
                    header = false;
                }
                i--;
                out.append("</table>\n");
            } else {
                para.append(t).append(' ');
            }
        }
        if (!para.isEmpty()) out.append("<p>").append(inline(para.toString().strip())).append("</p>\n");
        if (list != null) out.append("</").append(list).append(">\n");
        return out.toString();
    }

    static String inline(String s) {
        String e = SvgChart.esc(s);
        e = e.replaceAll("`([^`]+)`", "<code>$1</code>");
        e = e.replaceAll("\\*\\*([^*]+)\\*\\*", "<strong>$1</strong>");
        e = e.replaceAll("(?<![\\w*])\\*([^*\\s][^*]*)\\*(?![\\w*])", "<em>$1</em>");
        e = e.replaceAll("\\[([^\\]]+)\\]\\(([^)\\s]+)\\)", "<a href=\"$2\">$1</a>");
        return e;
    }
}
