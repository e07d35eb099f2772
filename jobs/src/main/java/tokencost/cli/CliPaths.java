package tokencost.cli;

import java.nio.file.Path;
import tokencost.tables.Warehouse;

/**
 * Where a relative path points: the process's current directory, like every command-line tool (the {@code user.dir}
 * the JVM started in; tests may set it). This holds for paths on the command line and for the conf's own paths
 * ({@code tokencost.warehouse.path}, {@code tokencost.catalog.dir}). Only the defaults that name a part of the
 * installation (conf/default.conf, notebooks/, ...) are under the tokencost home.
 */
final class CliPaths {
    private CliPaths() {}

    /** The current directory. */
    static Path cwd() {
        return Path.of(System.getProperty("user.dir", ".")).toAbsolutePath().normalize();
    }

    /** {@code given} made absolute against the current directory; an absolute path stays as it is (normalized). */
    static Path resolve(Path given) {
        return cwd().resolve(given).normalize();
    }

    /** A warehouse location as given (a local path relative to the current directory, or a URI). */
    static Warehouse warehouse(String location, String database) {
        return Warehouse.at(location, cwd(), database);
    }

    static Warehouse warehouse(String location) {
        return Warehouse.at(location, cwd());
    }
}
