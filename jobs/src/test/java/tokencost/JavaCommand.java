package tokencost;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The start of a command line for another JVM: this JVM's java, its Java 17 flags for Spark, a heap, a classpath. */
public final class JavaCommand {
    private JavaCommand() {}

    public static List<String> with(String classpath) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(java17Flags());
        cmd.addAll(List.of("-Xmx1g", "-cp", classpath));
        return cmd;
    }

    /** The flags Spark needs on Java 17, as surefire/failsafe gave them to this JVM (spark.java17.opens in jobs/pom.xml). */
    public static List<String> java17Flags() {
        List<String> flags = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("-Djdk.reflect")) flags.add(a);
        }
        return flags;
    }
}
