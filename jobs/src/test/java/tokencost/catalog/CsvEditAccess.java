package tokencost.catalog;

import java.nio.file.Path;

/** Lets tests in other packages break catalog files. */
public final class CsvEditAccess {
    private CsvEditAccess() {}

    public static int set(Path csv, String key, String column, String value) {
        return CsvEdit.set(csv, key, column, value);
    }

    public static int duplicateRow(Path csv, String key) {
        return CsvEdit.duplicateRow(csv, key);
    }

    public static void dropColumn(Path csv, String column) {
        CsvEdit.dropColumn(csv, column);
    }

    public static void renameColumn(Path csv, String from, String to) {
        CsvEdit.renameColumn(csv, from, to);
    }
}
