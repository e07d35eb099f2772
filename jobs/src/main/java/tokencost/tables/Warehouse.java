package tokencost.tables;

import java.net.URI;
import java.nio.file.Path;

/** Where the Delta tables live: a local folder or a Hadoop filesystem URI (s3a://, abfss://, hdfs://). */
public record Warehouse(String root) {

    public static Warehouse at(String location, Path home) {
        if (location.contains("://")) return new Warehouse(location.replaceAll("/+$", ""));
        Path p = Path.of(location);
        if (!p.isAbsolute()) p = home.resolve(p);
        return new Warehouse(p.toAbsolutePath().normalize().toString());
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
