package tokencost.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Folders nobody can write, for tests: r-x permissions, and where the tests run as root (who ignores permissions)
 * the immutable attribute ({@code chattr +i}), which stops root too. {@link #restoreAll()} undoes both, so the
 * temporary folders can be deleted.
 */
final class ReadOnlyFolders {
    private static final List<Path> MADE = new ArrayList<>();

    private ReadOnlyFolders() {}

    /** Makes {@code dir} read-only; false when this machine cannot (then the test is skipped). */
    static synchronized boolean make(Path dir) throws IOException {
        MADE.add(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (!Files.isWritable(dir)) return true;
        chattr("+i", dir);
        return !Files.isWritable(dir);
    }

    static synchronized void restoreAll() throws IOException {
        for (Path dir : MADE) {
            chattr("-i", dir);
            if (Files.exists(dir)) Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        MADE.clear();
    }

    private static void chattr(String flag, Path dir) {
        try {
            Process p = new ProcessBuilder("chattr", flag, dir.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // no chattr (or not allowed): the folder stays as it is
        }
    }
}
