package tokencost.tables;

import java.net.URI;
import java.nio.file.Path;

/** Where the Delta tables live: a local folder or a Hadoop filesystem URI (s3a://, abfss://, hdfs://). */
public record Warehouse(String root, String database) implements java.io.Serializable {

    public static Warehouse at(String location, Path home) {
        return at(location, home, "");
    }

    /** @param database where tables are also registered by name; empty for path-only tables */
    public static Warehouse at(String location, Path home, String database) {
        if (!database.isEmpty() && !database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("tokencost.warehouse.database must be a plain identifier, got '" + database + "'");
        }
        if (location.contains("://")) return new Warehouse(location.replaceAll("/+$", ""), database);
        Path p = Path.of(location);
        if (!p.isAbsolute()) p = home.resolve(p);
        return new Warehouse(p.toAbsolutePath().normalize().toString(), database);
    }

    public boolean isLocal() {
        return !root.contains("://") || root.startsWith("file:");
    }

    public Path localPath() {
        return root.startsWith("file:") ? Path.of(URI.create(root)) : Path.of(root);
    }

    public String table(String name) {
        return root + "/" + name;
    }
}
