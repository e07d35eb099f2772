package tokencost.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tokencost.SparkTestBase;
import tokencost.catalog.Catalog;
import tokencost.catalog.CatalogSource;
import tokencost.conf.TokencostConf;
import tokencost.sweep.SweepJob;
import tokencost.sweep.SweepPlan;
import tokencost.tables.DeltaTables;
import tokencost.tables.RunLog;
import tokencost.tables.Warehouse;

/**
 * A real Spark standalone cluster on 127.0.0.1, started from the jars Maven already has (a Master and a Worker
 * process over a SPARK_HOME whose jars/ holds the Spark runtime), the sweep submitted to it with SparkSubmit and
 * the application jar, and its Delta tables compared row for row with the same sweep run in local mode. Every
 * process started here is stopped, also when the test fails.
 */
@Tag("slow") // child JVMs: run by failsafe (jobs/pom.xml)
class StandaloneClusterIT extends SparkTestBase {
    static final String CONF = "tokencost.catalog.dir = \"\"\n" // the catalogs bundled in the application jar
            + "tokencost.sweep {\n  models = [llama-3.1-8b, mixtral-8x7b]\n  hardware = [h100-sxm, mi300x, tpu-v5e]\n"
            + "  workloads = [chat, batch-analytics]\n  devices = [1, 2, 8]\n  batches = [1, 16]\n"
            + "  stack-levers = [fp8, continuous-batching, paged-kv]\n  partitions = 4\n}\n"
            + "spark.sql.shuffle.partitions = 4\nspark.databricks.delta.snapshotPartitions = 2\n";

    @TempDir
    Path dir;
    final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopEverything() throws IOException {
        // keep the processes' logs for a look after a failure
        Path keep = Files.createDirectories(Path.of("target", "cluster-it-logs"));
        for (String name : List.of("master", "worker", "submit")) {
            if (Files.exists(dir.resolve(name + ".log"))) Files.copy(dir.resolve(name + ".log"), keep.resolve(name + ".log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // executors the worker launched
            p.destroyForcibly();
        }
        for (Process p : started) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** SPARK_HOME with jars/ = the Spark runtime (every runtime jar except what the application jar bundles). */
    Path sparkHome() throws IOException {
        Path home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("RELEASE"), "");
        String classpath = Files.readString(Path.of(System.getProperty("tokencost.classpathFile"))).strip();
        int n = 0;
        for (String jar : classpath.split(java.io.File.pathSeparator)) {
            Path p = Path.of(jar);
            String name = p.getFileName().toString();
            if (name.startsWith("delta-") || name.startsWith("picocli-") || name.startsWith("config-")) continue;
            Files.createSymbolicLink(jars.resolve(name), p);
            n++;
        }
        assertTrue(n > 100, "the Spark runtime: " + n + " jars");
        return home;
    }

    Process start(Path sparkHome, String name, List<String> args) throws IOException {
        List<String> cmd = tokencost.JavaCommand.with(sparkHome.resolve("jars") + "/*");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    void awaitLog(String name, String text, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Path log = dir.resolve(name + ".log");
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) return;
            if (!p.isAlive()) break;
            Thread.sleep(200);
        }
        throw new AssertionError(name + " did not log '" + text + "':\n" + (Files.exists(log) ? Files.readString(log) : "(no log)"));
    }

    @Test
    void theSweepSubmittedToAStandaloneClusterWritesTheSameTablesAsLocalMode() throws Exception {
        Path appJar = Path.of(System.getProperty("tokencost.appJar"));
        assertTrue(Files.isRegularFile(appJar), "mvn package builds " + appJar);
        Path conf = dir.resolve("cluster-test.conf");
        Files.writeString(conf, CONF);
        Path home = sparkHome();

        int masterPort = freePort();
        String master = "spark://127.0.0.1:" + masterPort;
        Process m = start(home, "master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(masterPort), "--webui-port", String.valueOf(freePort())));
        awaitLog("master", "I have been elected leader", m);
        Process w = start(home, "worker", List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "2",
                "--memory", "2g", "--webui-port", String.valueOf(freePort()), "--work-dir", dir.resolve("work").toString(), master));
        awaitLog("worker", "Successfully registered with master", w);

        Path clusterWarehouse = dir.resolve("cluster-warehouse");
        Process submit = start(home, "submit", List.of("org.apache.spark.deploy.SparkSubmit", "--master", master, "--deploy-mode", "client",
                "--class", "tokencost.cli.Main", "--conf", "spark.executor.memory=1g",
                "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", tokencost.JavaCommand.java17Flags()),
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.tokencost.sweep.batches=[1, 16, 256]",
                appJar.toString(), "sweep", "--conf", conf.toString(), "--warehouse", clusterWarehouse.toString(), "--run-date", "2026-11-26"));
        assertTrue(submit.waitFor(400, TimeUnit.SECONDS), "the submitted sweep finishes");
        String log = Files.readString(dir.resolve("submit.log"), StandardCharsets.UTF_8);
        assertEquals(0, submit.exitValue(), log);
        assertTrue(log.contains("sweep ") && log.contains("succeeded"), log);
        String worker = Files.readString(dir.resolve("worker.log"));
        assertTrue(worker.contains("Asked to launch executor"), "executors ran on the worker:\n" + worker);
        assertTrue(log.contains("Connecting to master " + master) || log.contains(master), "the driver used the cluster");

        // the same sweep in local mode (with the batches the submit command set through spark.tokencost.*)
        TokencostConf c = TokencostConf.load(conf).with(TokencostConf.SWEEP_BATCHES, List.of(1, 16, 256));
        Catalog catalog = Catalog.load(CatalogSource.bundled());
        Warehouse local = Warehouse.at(dir.resolve("local-warehouse").toString(), dir);
        SweepJob.Run run = SweepJob.Run.of(SweepPlan.from(c, catalog), LocalDate.of(2026, 11, 26), local, c, CatalogSource.bundled());
        SweepJob.run(spark(), run, new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        DeltaTables a = new DeltaTables(spark(), Warehouse.at(clusterWarehouse.toString(), dir), SweepJob.TABLES);
        DeltaTables b = new DeltaTables(spark(), local, SweepJob.TABLES);
        for (String t : SweepJob.TABLES) {
            if (t.equals(RunLog.TABLE)) continue;
            Dataset<Row> x = a.read(t), y = b.read(t);
            long n = y.count();
            assertTrue(n > 0, t);
            assertEquals(n, x.count(), t + " rows");
            assertEquals(0, x.exceptAll(y).count(), t + ": rows only on the cluster");
            assertEquals(0, y.exceptAll(x).count(), t + ": rows only in local mode");
        }
        Map<String, Long> rows = new RunLog(a).get(run.runId(), SweepJob.JOB).rowsWritten();
        assertEquals(run.plan().cells(), rows.get("inference_grid"), "same run id, same grid");
    }
}
