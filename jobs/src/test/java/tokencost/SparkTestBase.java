package tokencost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import tokencost.conf.TokencostConf;
import tokencost.spark.SparkSessions;

/**
 * One SparkSession per test JVM (local[2], UI off, few shuffle partitions, driver on 127.0.0.1), and the
 * helpers the Spark tests share: sql(...) and row-set equality with a tolerance.
 */
public abstract class SparkTestBase {
    private static SparkSession spark;

    protected static synchronized SparkSession spark() {
        if (spark == null) {
            TokencostConf conf = TokencostConf.defaults().with(TokencostConf.SPARK_MASTER, "local[2]");
            spark = SparkSessions.create(conf, "tokencost tests");
            spark.conf().set("spark.sql.shuffle.partitions", "2");
            Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
        }
        return spark;
    }

    protected static Dataset<Row> sql(String query, Object... args) {
        return spark().sql(String.format(query, args));
    }

    protected static List<Row> rows(String query, Object... args) {
        return sql(query, args).collectAsList();
    }

    /** Two row sets are equal, ignoring order; doubles compare with a relative tolerance. */
    protected static void assertRowSetsEqual(List<Row> expected, List<Row> actual, double relTol) {
        assertEquals(expected.size(), actual.size(), "row counts");
        List<Row> e = sorted(expected);
        List<Row> a = sorted(actual);
        for (int i = 0; i < e.size(); i++) {
            Row x = e.get(i);
            Row y = a.get(i);
            assertEquals(x.length(), y.length(), "row widths");
            for (int c = 0; c < x.length(); c++) {
                Object u = x.get(c);
                Object v = y.get(c);
                if (u instanceof Double du && v instanceof Double dv) {
                    if (Math.abs(du - dv) > relTol * Math.max(Math.abs(du), Math.abs(dv)) && !du.equals(dv)) {
                        fail("row " + i + " column " + c + ": " + du + " vs " + dv + "\nexpected " + x + "\nactual   " + y);
                    }
                } else {
                    assertEquals(u, v, "row " + i + " column " + c + "\nexpected " + x + "\nactual   " + y);
                }
            }
        }
    }

    private static List<Row> sorted(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows);
        out.sort(Comparator.comparing(Row::toString));
        return out;
    }
}
