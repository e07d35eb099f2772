package tokencost.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tokencost.JavaCommand;
import tokencost.TestCatalogs;
import tokencost.spark.PausePoint;

/**
 * {@code tokencost} commands in their own JVMs (the test JVM's classpath and Java 17 flags), the crash tests' one way
 * of starting them: run to the end, or stopped at a {@link PausePoint} and then killed (SIGKILL: no shutdown hook, no
 * finally) or let go on.
 */
final class ChildJvm {
    /** Longest a child may take to reach its pause point or to finish (a tiny conf takes seconds). */
    static final long TIMEOUT_S = 240;

    private ChildJvm() {}

    /** A small sweep conf in {@code dir}: {@code models} and {@code batches} set its size. */
    static Path conf(Path dir, String name, String models, String batches) throws IOException {
        return conf(dir, name, models, "all", "all", "1, 2, 4, 8", batches, "fp8, continuous-batching, flash-attention, paged-kv", 8);
    }

    /** A sweep conf of the given axes (a lifecycle of one scenario, its own replica and a few draws rides along). */
    static Path conf(Path dir, String name, String models, String hardware, String workloads, String devices, String batches,
                     String levers, int partitions) throws IOException {
        Path f = dir.resolve(name + ".conf");
        Files.writeString(f, "tokencost.sweep {\n  models = [" + models + "]\n  hardware = [" + hardware + "]\n  workloads = ["
                + workloads + "]\n  devices = [" + devices + "]\n  batches = [" + batches + "]\n  stack-levers = [" + levers
                + "]\n  partitions = " + partitions + "\n}\n"
                + "tokencost.lifecycle { scenarios = [llama-8b-batch-analytics], draws = 4, serving-from = replica }\n"
                + "tokencost.spark.master = \"local[2]\"\ntokencost.warehouse.lock-wait-s = 300\ntokencost.progress.interval-s = 1\n");
        return f;
    }

    /**
     * A JIT flag for children that run a tiny conf: C1 only starts a Spark job in about half the time (no C2 compiler
     * threads competing for 2 cores); a child that sweeps real grids keeps the default.
     */
    static final String QUICK_START = "-XX:TieredStopAtLevel=1";

    /** {@code tokencost ARGS} in its own JVM, output (stdout and stderr) to {@code log}. */
    static Process start(Path log, String... args) throws IOException {
        return start(log, List.of(), args);
    }

    /** The same with JVM options ({@code -Dname=value}, {@link #QUICK_START}). */
    static Process start(Path log, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = JavaCommand.with(System.getProperty("java.class.path"));
        // as bin/tokencost runs it: the tokencost home, and the shipped logging (what a user's console shows)
        cmd.add("-Dtokencost.home=" + TestCatalogs.home());
        cmd.add("-Dlog4j2.configurationFile=" + TestCatalogs.home().resolve("conf/log4j2.properties"));
        cmd.addAll(jvmOptions);
        cmd.add("tokencost.cli.Main");
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** A child started to stop at a pause point. */
    record Paused(Process process, Path marker, Path log) {
        /** Waits until the child stands at its point (fails with its output if it ends or takes too long first). */
        Paused await() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (!Files.exists(marker) && process.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
            if (!Files.exists(marker)) process.destroyForcibly(); // never left running past a failed test
            assertTrue(Files.exists(marker), "the child did not reach its pause point:\n" + output());
            return this;
        }

        /** SIGKILL, and wait for the process to be gone. */
        String kill() throws Exception {
            process.destroyForcibly();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "killed child still alive");
            return output();
        }

        /** Lets the child carry on from its point; returns its exit code once it ends. */
        int resume() throws Exception {
            Files.delete(marker);
            boolean done = process.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
            if (!done) process.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
            assertTrue(done, "the child did not finish:\n" + output());
            return process.exitValue();
        }

        String output() throws IOException {
            return Files.exists(log) ? Files.readString(log) : "";
        }
    }

    /** {@code tokencost ARGS} in its own JVM, to stop at {@code point} (see {@link PausePoint}); await() it. */
    static Paused pausedAt(String point, Path dir, String... args) throws IOException {
        String name = point.replaceAll("[^A-Za-z0-9_-]", "_");
        Path marker = dir.resolve("paused-at-" + name);
        Path log = dir.resolve("child-" + name + ".log");
        List<String> properties = new ArrayList<>(List.of(QUICK_START, "-D" + PausePoint.AT + "=" + point, "-D" + PausePoint.MARKER + "=" + marker));
        return new Paused(start(log, properties, args), marker, log);
    }

    static long parquetFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".parquet")).count();
        }
    }
}
