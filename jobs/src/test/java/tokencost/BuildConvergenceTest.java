package tokencost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The resolved classpath converges on the versions Spark 4.2.0 pins (Parquet 1.17.0, Avro 1.12.1,
 * Jackson 2.21) and on Delta built for exactly this Spark.
 */
class BuildConvergenceTest {
    private static final Pattern JAR = Pattern.compile("(.+?)-(\\d+(?:\\.\\d+)*)\\.jar");

    private static Map<String, String> jars() {
        Map<String, String> out = new TreeMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Matcher m = JAR.matcher(new File(entry).getName());
            if (m.matches()) {
                String prior = out.put(m.group(1), m.group(2));
                assertTrue(prior == null || prior.equals(m.group(2)), "two versions of " + m.group(1) + ": " + prior + ", " + m.group(2));
            }
        }
        return out;
    }

    @Test
    void sparkDeltaParquetAvroJacksonConverge() {
        Map<String, String> jars = jars();
        assertEquals("4.2.0", jars.get("spark-core_2.13"));
        assertEquals("4.2.0", jars.get("spark-sql_2.13"));
        assertEquals("4.4.0", jars.get("delta-spark_4.2_2.13"));
        assertEquals("1.12.1", jars.get("avro"));
        jars.forEach((name, version) -> {
            if (name.startsWith("parquet-")) assertEquals("1.17.0", version, name);
            if (name.startsWith("avro")) assertEquals("1.12.1", version, name);
            if (name.startsWith("jackson-") && !name.startsWith("jackson-module-scala")) {
                assertTrue(version.startsWith("2.21"), name + " " + version);
            }
        });
    }

    @org.junit.jupiter.api.Test
    void anotherSparkRuntimeIsRefusedWithAClearMessage() {
        tokencost.spark.SparkSessions.checkVersion(tokencost.spark.BuildInfo.sparkVersion());
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> tokencost.spark.SparkSessions.checkVersion("4.1.1"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("Spark 4.1.1 is running, but this build's Delta")
                && e.getMessage().contains("run on Spark " + tokencost.spark.BuildInfo.sparkVersion()), e.getMessage());
    }
}
