package tokencost.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where catalog files come from: a datasets/ folder on disk, or the copy bundled in the jar. */
public interface CatalogSource {

    /** The file's bytes, or null when it does not exist. */
    byte[] read(String relativePath);

    /** How to name the file in messages. */
    String describe(String relativePath);

    /** Why {@link #read} gave null: "file not found", "is a folder, not a file", "is not readable (permission denied)". */
    default String whyNot(String relativePath) {
        return "file not found";
    }

    static CatalogSource directory(Path dir) {
        return new CatalogSource() {
            @Override
            public byte[] read(String relativePath) {
                Path p = dir.resolve(relativePath);
                if (!Files.isRegularFile(p)) return null;
                try {
                    return Files.readAllBytes(p);
                } catch (IOException e) { // permission denied, an I/O error: whyNot says which
                    return null;
                }
            }

            @Override
            public String whyNot(String relativePath) {
                String why = FileKinds.whyNotReadable(dir.resolve(relativePath), dir);
                return why == null ? "cannot be read" : why;
            }

            @Override
            public String describe(String relativePath) {
                return dir.resolve(relativePath).toString();
            }
        };
    }

    static CatalogSource bundled() {
        return new CatalogSource() {
            @Override
            public byte[] read(String relativePath) {
                try (InputStream in = CatalogSource.class.getClassLoader().getResourceAsStream("datasets/" + relativePath)) {
                    return in == null ? null : in.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read bundled datasets/" + relativePath, e);
                }
            }

            @Override
            public String describe(String relativePath) {
                return "datasets/" + relativePath + " (bundled)";
            }
        };
    }
}
