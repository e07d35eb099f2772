package tokencost.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tokencost.TestCatalogs;
import tokencost.conf.TokencostConf;
import tokencost.sweep.SliceEvaluator;
import tokencost.sweep.SweepPlan;

/**
 * The engine per core, on the benchmark's own grid (conf/benchmark.conf over the whole catalog): one invocation
 * evaluates one slice — every stack x device count x batch of one model x hardware x workload — walking through
 * all the slices in turn, so every model, accelerator and workload is in the mix. One thread: the score is cells/s
 * per core. Run with {@code mvn -B -Pjmh -pl jobs test-compile exec:exec} (see README, "Benchmarks").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Threads(1)
public class EngineBenchmark {
    /** Cells per slice of conf/benchmark.conf: 48 stacks x 7 device counts x 8 batches. */
    static final int CELLS_PER_SLICE = 48 * 7 * 8;

    SweepPlan plan;
    long slice;

    @Setup
    public void plan() {
        plan = SweepPlan.from(TokencostConf.load(TestCatalogs.home().resolve("conf/benchmark.conf")), TestCatalogs.real());
        if (plan.cellsPerSlice() != CELLS_PER_SLICE) {
            throw new IllegalStateException("conf/benchmark.conf has " + plan.cellsPerSlice() + " cells per slice; update CELLS_PER_SLICE");
        }
    }

    @Benchmark
    @OperationsPerInvocation(CELLS_PER_SLICE)
    public void cells(Blackhole out) {
        SliceEvaluator.cells(plan, slice, out::consume);
        slice = (slice + 1) % plan.slices();
    }
}
