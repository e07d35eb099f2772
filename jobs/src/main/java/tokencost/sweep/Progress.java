package tokencost.sweep;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/** Prints "what: done / total (pct), rate/s, ETA" every interval from a background thread. */
public final class Progress implements AutoCloseable {
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private volatile boolean done;

    public Progress(String what, long total, LongSupplier doneSoFar, double intervalSeconds, PrintStream out) {
        thread = new Thread(() -> {
            long sleepMs = (long) (intervalSeconds * 1000);
            while (!done) {
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException e) {
                    return;
                }
                if (!done) out.println(line(what, doneSoFar.getAsLong(), total, (System.nanoTime() - startNanos) / 1e9));
            }
        }, "tokencost-progress");
        thread.setDaemon(true);
        thread.start();
    }

    static String line(String what, long done, long total, double seconds) {
        done = Math.min(done, total); // a task just finished may be counted twice for a moment
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = rate > 0 && done < total ? String.format(Locale.ROOT, ", ETA %.0f s", (total - done) / rate) : "";
        return String.format(Locale.ROOT, "  %s: %,d / %,d cells (%.1f%%), %,.0f cells/s%s", what, done, total,
                total == 0 ? 100.0 : 100.0 * done / total, rate, eta);
    }

    @Override
    public void close() {
        done = true;
        thread.interrupt();
    }
}
