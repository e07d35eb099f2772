package tokencost.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions the build pinned (pom.xml), read from the jar. */
public final class BuildInfo {
    private static final Properties PROPS = load();

    private BuildInfo() {}

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream("tokencost-build.properties")) {
            if (in == null) throw new IllegalStateException("tokencost-build.properties is missing from the classpath");
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    public static String tokencostVersion() {
        return PROPS.getProperty("tokencost.version");
    }

    /** The Spark version the Delta artifact in this build was built for. */
    public static String sparkVersion() {
        return PROPS.getProperty("spark.version");
    }

    public static String deltaVersion() {
        return PROPS.getProperty("delta.version");
    }
}
