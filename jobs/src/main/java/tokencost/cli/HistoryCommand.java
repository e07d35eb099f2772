package tokencost.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tokencost.conf.TokencostConf;
import tokencost.tables.DeltaTables;
import tokencost.tables.RunLog;
import tokencost.tables.Warehouse;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Lists the runs recorded in sweep_runs, newest first: status, duration, cells and rows written per job.")
final class HistoryCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    WarehouseOption warehouseOption;

    @Option(names = "--limit", description = "Runs to list (default: ${DEFAULT-VALUE}).", defaultValue = "20")
    int limit;

    @Override
    public Integer call() {
        warehouseOption.checkToRead(common.checkPaths(), false).check();
        TokencostConf conf = common.conf();
        Warehouse wh = warehouseOption.toRead(conf, false);
        WarehouseOption.withSession(conf, "history", spark -> {
            DeltaTables tables = new DeltaTables(spark, wh, List.of(RunLog.TABLE));
            if (!tables.exists(RunLog.TABLE)) {
                System.out.println("no runs: " + tables.path(RunLog.TABLE) + " does not exist yet");
                return;
            }
            List<List<Object>> out = new ArrayList<>();
            for (Row r : tables.read(RunLog.TABLE).orderBy(org.apache.spark.sql.functions.col("started_at").desc()).limit(limit).collectAsList()) {
                Map<String, Long> rows = r.getJavaMap(r.fieldIndex("rows_written"));
                long total = rows.values().stream().mapToLong(Long::longValue).sum();
                Object ended = r.get(r.fieldIndex("ended_at"));
                double seconds = ended == null ? Double.NaN
                        : (r.getTimestamp(r.fieldIndex("ended_at")).getTime() - r.getTimestamp(r.fieldIndex("started_at")).getTime()) / 1000.0;
                String error = r.isNullAt(r.fieldIndex("error")) ? "" : r.getString(r.fieldIndex("error"));
                out.add(List.of(r.getString(r.fieldIndex("run_id")), r.getString(r.fieldIndex("job")), r.getString(r.fieldIndex("status")),
                        r.getTimestamp(r.fieldIndex("started_at")).toInstant().toString(), Double.isNaN(seconds) ? "-" : String.format("%.1f", seconds),
                        r.getLong(r.fieldIndex("cells")), total, error.length() > 80 ? error.substring(0, 79) + "…" : error));
            }
            System.out.print(Text.table(List.of("run_id", "job", "status", "started_at", "seconds", "cells", "rows_written", "error"), out));
        });
        return 0;
    }
}
