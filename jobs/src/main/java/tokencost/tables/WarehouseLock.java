package tokencost.tables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Single-writer lock of a local warehouse. Delta on a local filesystem is safe for one writer JVM only,
 * so two tokencost runs must never commit to the same tables at once. An OS file lock: released by the
 * OS when the holder dies, even on kill -9.
 */
public final class WarehouseLock implements AutoCloseable {
    public static final String FILE = ".tokencost-writer.lock";
    private static final long POLL_MS = 200;

    /** Warehouses whose writer lock this JVM holds: only there may a run clean up after other, dead runs. */
    private static final java.util.Set<String> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final FileChannel channel;
    private final FileLock lock;
    private final String root;

    private WarehouseLock(FileChannel channel, FileLock lock, String root) {
        this.channel = channel;
        this.lock = lock;
        this.root = root;
        if (root != null) HELD.add(root);
    }

    /** Whether this process holds the warehouse's writer lock (no other writer can be running). */
    public static boolean heldHere(Warehouse warehouse) {
        return warehouse.isLocal() && HELD.contains(lockKey(warehouse));
    }

    private static String lockKey(Warehouse warehouse) {
        return warehouse.localPath().toAbsolutePath().normalize().toString();
    }

    /** Waits up to {@code waitSeconds} for the lock, then fails naming the holder. Non-local warehouses: no lock. */
    public static WarehouseLock acquire(Warehouse warehouse, String runId, double waitSeconds) {
        if (!warehouse.isLocal()) return new WarehouseLock(null, null, null);
        Path dir = warehouse.localPath();
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + (long) (waitSeconds * 1e9);
            boolean announced = false;
            while (true) {
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (java.nio.channels.OverlappingFileLockException sameJvm) {
                    l = null;
                }
                if (l != null) {
                    String holder = "pid " + ManagementFactory.getRuntimeMXBean().getPid() + ", run " + runId + ", since " + Instant.now() + "\n";
                    ch.truncate(0);
                    ch.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
                    ch.force(true);
                    return new WarehouseLock(ch, l, lockKey(warehouse));
                }
                if (System.nanoTime() >= deadline) {
                    String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                    ch.close();
                    throw new IllegalStateException("another tokencost run holds the writer lock on " + dir + " (" + holder
                            + "); waited " + waitSeconds + " s (tokencost.warehouse.lock-wait-s). Try again when it has finished.");
                }
                if (!announced) {
                    System.err.println("tokencost: waiting for the writer lock on " + dir + " (held by "
                            + Files.readString(file, StandardCharsets.UTF_8).strip() + ")");
                    announced = true;
                }
                Thread.sleep(POLL_MS);
            }
        } catch (IOException e) { // the CLI checks the folder first: this is a race or the disk itself
            throw new IllegalStateException("cannot take the writer lock " + file + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the writer lock on " + dir, e);
        }
    }

    @Override
    public void close() {
        if (channel == null) return;
        HELD.remove(root);
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
