package tokencost.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.conf.TokencostConf;

/** Options every subcommand shares: where the conf and the catalogs are. */
final class CommonOptions {

    @Option(names = "--conf", paramLabel = "FILE", description = "HOCON conf (default: conf/default.conf under the tokencost home).")
    Path conf;

    @Option(names = "--datasets", paramLabel = "DIR", description = "Catalog folder (default: the conf's tokencost.catalog.dir).")
    Path datasets;

    /** The tokencost home: set by bin/tokencost (and the tests); the working directory otherwise. */
    static Path home() {
        return Path.of(System.getProperty("tokencost.home", ".")).toAbsolutePath().normalize();
    }

    /** Checks --conf (a file to read) and --datasets (a folder to read) when given; nothing is read yet. */
    PathChecks checkPaths() {
        return new PathChecks().inputFile("--conf", conf).inputFolder("--datasets", datasets);
    }

    TokencostConf conf() {
        Path file = conf != null ? conf : home().resolve("conf/default.conf");
        if (conf == null && !file.toFile().isFile()) return TokencostConf.defaults();
        return TokencostConf.load(file);
    }

    CatalogSource catalogSource(TokencostConf conf) {
        if (datasets != null) return CatalogSource.directory(datasets);
        String dir = conf.string(TokencostConf.CATALOG_DIR);
        if (dir.isEmpty()) return CatalogSource.bundled();
        Path p = home().resolve(dir);
        return p.toFile().isDirectory() ? CatalogSource.directory(p) : CatalogSource.bundled();
    }

    Catalog catalog(TokencostConf conf) {
        return Catalog.load(catalogSource(conf));
    }
}
