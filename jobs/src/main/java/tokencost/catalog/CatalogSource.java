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

    static CatalogSource directory(Path dir) {
        return new CatalogSource() {
            @Override
            public byte[] read(String relativePath) {
                Path p = dir.resolve(relativePath);
                if (!Files.isRegularFile(p)) return null;
                try {
                    return Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + p, e);
                }
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
