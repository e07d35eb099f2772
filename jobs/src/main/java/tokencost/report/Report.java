package tokencost.report;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import tokencost.tables.Warehouse;

/** The notebooks run against a warehouse and rendered as the HTML report: the last step of the main job. */
public final class Report {
    private Report() {}

    /**
     * @param runId the run to show (null or empty: the notebooks pick the latest succeeded run)
     * @return the report's index.html
     */
    public static Path write(SparkSession spark, Warehouse warehouse, Path notebooksDir, String runId, Path out, PrintStream log) {
        return write(spark, warehouse, notebooksDir, Map.of("run_id", runId == null ? "" : runId), out, log);
    }

    /** The same with any widget values ({@code run_id}, {@code model}, {@code scenario}, ...). */
    public static Path write(SparkSession spark, Warehouse warehouse, Path notebooksDir, Map<String, String> params, Path out,
                             PrintStream log) {
        String runId = params.getOrDefault("run_id", "");
        List<Notebook> notebooks = NotebookRunner.load(notebooksDir);
        log.printf("report: %d notebooks from %s%n", notebooks.size(), notebooksDir);
        // written beside the report, moved in once complete: the previous report stays whole until then
        ReportFolder folder = ReportFolder.replacing(out);
        try {
            List<NotebookRunner.NotebookResult> results = NotebookRunner.run(spark, warehouse, new HashMap<>(params), notebooks,
                    folder.staging(), log);
            ReportWriter.write(folder.staging(), results, runId == null || runId.isEmpty() ? "latest" : runId, warehouse.root());
        } catch (RuntimeException | Error e) {
            folder.discard();
            throw e;
        }
        return folder.publish().resolve(ReportWriter.INDEX);
    }
}
