package tokencost.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only: named points where a process can be made to stop, so that a crash test kills it at exactly that point
 * rather than racing a timer. Internal system properties, not conf keys (no user sets them; unset, every point is a
 * no-op):
 * <ul>
 *   <li>{@value #AT}{@code =POINT} or {@code POINT#N}: stop at the first (or N-th) arrival at POINT;</li>
 *   <li>{@value #MARKER}{@code =FILE}: written (atomically, holding POINT) on arrival, so the test knows where the
 *       process stands; the process waits until the test deletes FILE (it then carries on) or kills it;</li>
 *   <li>{@value #WAIT_S}: the longest wait (default {@value #DEFAULT_WAIT_S} s): a test that dies leaves no child
 *       waiting for ever.</li>
 * </ul>
 * The points: {@value #TABLE_CREATION} (after a job created the first table it lacked), {@value #FILES_WRITTEN} (a
 * direct write's files are all on disk, no table of it committed), a table's name (just before a run commits to it; a
 * direct write's tables commit side by side, so the others may be committing meanwhile), {@value #REPORT} (a report page written,
 * the others not) and {@value #REPORT_SWAP} (the new report complete, the previous one moved aside).
 */
public final class PausePoint {
    public static final String AT = "tokencost.test.pause-at";
    public static final String MARKER = "tokencost.test.pause-marker";
    public static final String WAIT_S = "tokencost.test.pause-wait-s";
    public static final int DEFAULT_WAIT_S = 120;

    public static final String TABLE_CREATION = "table-creation";
    public static final String FILES_WRITTEN = "files-written";
    public static final String REPORT = "report";
    public static final String REPORT_SWAP = "report-swap";

    private static final long POLL_MS = 50;
    private static final Map<String, AtomicInteger> ARRIVALS = new ConcurrentHashMap<>();

    private PausePoint() {}

    /** Arrival at {@code point}: returns at once unless {@value #AT} names it (and this is the arrival it counts). */
    public static void reached(String point) {
        String at = System.getProperty(AT);
        if (at == null || at.isEmpty()) return;
        int hash = at.lastIndexOf('#');
        String name = hash < 0 ? at : at.substring(0, hash);
        if (!name.equals(point)) return;
        int nth = hash < 0 ? 1 : Integer.parseInt(at.substring(hash + 1).strip());
        if (ARRIVALS.computeIfAbsent(point, p -> new AtomicInteger()).incrementAndGet() != nth) return;
        String marker = System.getProperty(MARKER);
        if (marker == null || marker.isEmpty()) throw new IllegalStateException(AT + " needs " + MARKER);
        Path file = Path.of(marker);
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, at, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.nanoTime() + Long.getLong(WAIT_S, DEFAULT_WAIT_S) * 1_000_000_000L;
            while (Files.exists(file) && System.nanoTime() < deadline) Thread.sleep(POLL_MS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
