package tokencost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.conf.TokencostConf;
import tokencost.engine.EngineSettings;

/** Shared test helpers: the project's real catalogs, and editable copies of them. */
public final class TestCatalogs {
    private TestCatalogs() {}

    private static Catalog real;

    public static Path home() {
        return Path.of(System.getProperty("tokencost.home", "..")).toAbsolutePath().normalize();
    }

    public static Path datasets() {
        return home().resolve("datasets");
    }

    public static synchronized Catalog real() {
        if (real == null) real = Catalog.load(CatalogSource.directory(datasets()));
        return real;
    }

    public static EngineSettings settings() {
        return TokencostConf.load(home().resolve("conf/default.conf")).engineSettings();
    }

    /** A copy of datasets/ in {@code dir}, to break one file per test. */
    public static Path copyDatasets(Path dir) {
        try (Stream<Path> files = Files.walk(datasets())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = dir.resolve(datasets().relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path p, String s) {
        try {
            Files.writeString(p, s, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
