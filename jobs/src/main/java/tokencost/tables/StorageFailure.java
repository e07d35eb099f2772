package tokencost.tables;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A run that failed because of the storage under the warehouse, not because of tokencost: the disk is full, or the
 * warehouse (or one of its tables) was deleted or moved while the run wrote it. Said in one line a person can act on,
 * instead of the Spark task failure (pages of stack trace) or an "internal error" that the failure would otherwise be.
 */
public final class StorageFailure extends IllegalStateException {
    /** What the operating system says when a disk or a quota is full (Hadoop and Delta pass its text on). */
    private static final List<String> FULL = List.of("no space left on device", "disk quota exceeded");

    private StorageFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code failure} as a storage failure of {@code job} {@code runId} on {@code tables}' warehouse, or null when the
     * storage is not what failed.
     */
    public static StorageFailure of(Throwable failure, DeltaTables tables, String job, String runId) {
        String root = tables.warehouse().root();
        List<String> gone = tables.missing();
        if (!gone.isEmpty()) {
            boolean all = gone.size() == tables.names().size();
            return new StorageFailure(job + " " + runId + " failed: " + (all ? "the warehouse " + root : "table " + String.join(", ", gone)
                    + " of the warehouse " + root) + " was deleted or moved while the run wrote it; nothing of this run is published, "
                    + "and the next run creates the missing tables again", failure);
        }
        String full = fullDisk(failure);
        if (full != null) {
            return new StorageFailure(job + " " + runId + " failed: the disk of the warehouse " + root + " is full (" + full
                    + "); free some space or give the warehouse a bigger disk and run again: every table is at its version before "
                    + "the run or holds the run's complete rows, and the next run puts back what this one left", failure);
        }
        return null;
    }

    /** The operating system's words for a full disk, when {@code failure} or anything it carries says so; else null. */
    static String fullDisk(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>(List.of(failure));
        while (!todo.isEmpty()) {
            Throwable t = todo.pop();
            if (!seen.add(t)) continue;
            String m = String.valueOf(t.getMessage());
            String lower = m.toLowerCase(Locale.ROOT);
            for (String words : FULL) {
                int i = lower.indexOf(words);
                if (i >= 0) return m.substring(i, i + words.length());
            }
            if (t.getCause() != null) todo.push(t.getCause());
            for (Throwable s : t.getSuppressed()) todo.push(s);
        }
        return null;
    }
}
