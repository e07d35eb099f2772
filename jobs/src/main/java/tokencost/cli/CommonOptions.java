package tokencost.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.catalog.Problem;
import tokencost.conf.TokencostConf;

/** Options every subcommand shares: where the conf and the catalogs are. */
final class CommonOptions {

    @Option(names = "--conf", paramLabel = "FILE", description = "HOCON conf (default: conf/default.conf under the tokencost home). Relative paths, here and in the conf, are relative to the current directory.")
    Path conf;

    @Option(names = "--strict", description = "Make the conf's warnings errors (exit 2): a key one file sets twice with different values, a plain include of a file that does not exist.")
    boolean strict;

    @Option(names = "--datasets", paramLabel = "DIR", description = "Catalog folder (default: the conf's tokencost.catalog.dir). Relative paths are relative to the current directory.")
    Path datasets;

    /** The tokencost home (the installation: conf/, notebooks/): set by bin/tokencost (and the tests); the current directory otherwise. */
    static Path home() {
        String home = System.getProperty("tokencost.home");
        return home == null || home.isEmpty() ? CliPaths.cwd() : CliPaths.resolve(Path.of(home));
    }

    /** Checks --conf (a file to read) and --datasets (a folder to read) when given; nothing is read yet. */
    PathChecks checkPaths() {
        return new PathChecks().inputFile("--conf", conf).inputFolder("--datasets", datasets);
    }

    TokencostConf conf() {
        Path file = conf != null ? CliPaths.resolve(conf) : home().resolve("conf/default.conf");
        if (conf == null && !file.toFile().isFile()) return TokencostConf.defaults();
        TokencostConf c = TokencostConf.load(file, strict);
        for (Problem w : c.warnings()) System.err.println("warning: " + w);
        return c;
    }

    /**
     * Where the catalogs are read: --datasets, else the conf's tokencost.catalog.dir (relative to the current
     * directory, like every path), else (empty, or no such folder) the copy bundled in the application.
     */
    CatalogSource catalogSource(TokencostConf conf) {
        if (datasets != null) return CatalogSource.directory(CliPaths.resolve(datasets));
        String dir = conf.string(TokencostConf.CATALOG_DIR);
        if (dir.isEmpty()) return CatalogSource.bundled();
        Path p = CliPaths.cwd().resolve(dir).normalize();
        return p.toFile().isDirectory() ? CatalogSource.directory(p) : CatalogSource.bundled();
    }

    Catalog catalog(TokencostConf conf) {
        return Catalog.load(catalogSource(conf));
    }
}
