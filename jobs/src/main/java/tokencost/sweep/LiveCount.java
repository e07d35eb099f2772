package tokencost.sweep;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A counter's value while tasks still run: the driver's accumulator holds only finished tasks, so running tasks'
 * partial counts are taken from the executors' heartbeats (which carry each running task's accumulators). A grid
 * task of a million cells thus shows progress before it ends, on a cluster as in local mode.
 */
final class LiveCount extends SparkListener implements LongSupplier, AutoCloseable {
    private final SparkContext sc;
    private final LongAccumulator finished;
    private final ConcurrentHashMap<Long, Long> running = new ConcurrentHashMap<>();

    LiveCount(SparkContext sc, LongAccumulator counter) {
        this.sc = sc;
        this.finished = counter;
        sc.addSparkListener(this);
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        for (var task : CollectionConverters.asJava(update.accumUpdates())) {
            long taskId = (Long) task._1();
            for (AccumulableInfo a : CollectionConverters.asJava(task._4())) {
                if (a.id() == finished.id() && a.update().isDefined() && a.update().get() instanceof Number n) {
                    running.put(taskId, n.longValue());
                }
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        running.remove(end.taskInfo().taskId()); // its count is in the accumulator now
    }

    @Override
    public long getAsLong() {
        long live = 0;
        for (long v : running.values()) live += v;
        return finished.value() + live;
    }

    @Override
    public void close() {
        sc.removeSparkListener(this);
    }
}
