package tokencost.catalog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tokencost.TestCatalogs;

/** Edits a catalog CSV by key and column, for tests that break one thing at a time. */
final class CsvEdit {
    private CsvEdit() {}

    static List<List<String>> rows(Path csv) {
        List<Problem> problems = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (CsvReader.Row r : CsvReader.parse(csv.toString(), TestCatalogs.read(csv).getBytes(StandardCharsets.UTF_8), problems)) {
            rows.add(new ArrayList<>(r.fields()));
        }
        if (!problems.isEmpty()) throw new IllegalStateException(problems.toString());
        return rows;
    }

    static void write(Path csv, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                if (i > 0) sb.append(',');
                String f = r.get(i);
                sb.append(f.contains(",") || f.contains("\"") || f.contains("\n") ? "\"" + f.replace("\"", "\"\"") + "\"" : f);
            }
            sb.append('\n');
        }
        TestCatalogs.write(csv, sb.toString());
    }

    /** Sets {@code column} of the row whose first field is {@code key}; returns that row's line number. */
    static int set(Path csv, String key, String column, String value) {
        List<List<String>> rows = rows(csv);
        int col = rows.get(0).indexOf(column);
        if (col < 0) throw new IllegalArgumentException("no column " + column);
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).get(0).equals(key)) {
                rows.get(i).set(col, value);
                write(csv, rows);
                return i + 1; // rows are one per line after a rewrite
            }
        }
        throw new IllegalArgumentException("no row " + key);
    }

    static void renameColumn(Path csv, String from, String to) {
        List<List<String>> rows = rows(csv);
        rows.get(0).set(rows.get(0).indexOf(from), to);
        write(csv, rows);
    }

    static void dropColumn(Path csv, String column) {
        List<List<String>> rows = rows(csv);
        int col = rows.get(0).indexOf(column);
        for (List<String> r : rows) r.remove(col);
        write(csv, rows);
    }

    static int duplicateRow(Path csv, String key) {
        List<List<String>> rows = rows(csv);
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).get(0).equals(key)) {
                rows.add(new ArrayList<>(rows.get(i)));
                write(csv, rows);
                return rows.size();
            }
        }
        throw new IllegalArgumentException("no row " + key);
    }
}
