package tokencost.reliability;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small disk of its own for a warehouse: a tmpfs mounted on a folder (needs root, or CAP_SYS_ADMIN: where mounting
 * is not permitted, {@link #mount} says why and the test is skipped), filled up on demand and grown again.
 */
final class SmallDisk implements AutoCloseable {
    /** tmpfs allocates whole pages. */
    private static final int PAGE = 4096;

    final Path root;
    private final Path filler;

    private SmallDisk(Path root) {
        this.root = root;
        this.filler = root.resolve("filler");
    }

    /** A tmpfs of {@code size} (as mount takes it: 16m) on {@code root}; throws with mount's words when not permitted. */
    static SmallDisk mount(Path root, String size) throws IOException, InterruptedException {
        Files.createDirectories(root);
        String out = command("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", root.toString());
        if (out != null) throw new IOException("cannot mount a tmpfs on " + root + ": " + out);
        return new SmallDisk(root);
    }

    /** Fills the disk to its last page. */
    void fill() throws IOException {
        byte[] zeros = new byte[PAGE];
        try (OutputStream o = Files.newOutputStream(filler)) {
            while (true) o.write(zeros);
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) throw full;
        }
    }

    /** A bigger disk: the same file system grown to {@code size}, the filler gone. */
    void grow(String size) throws IOException, InterruptedException {
        Files.deleteIfExists(filler);
        String out = command("mount", "-o", "remount,size=" + size, root.toString());
        if (out != null) throw new IOException("cannot grow the tmpfs on " + root + ": " + out);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (command("umount", root.toString()) != null) command("umount", "-l", root.toString());
    }

    /** Runs a command; null when it succeeded, else its output. */
    private static String command(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
        return p.exitValue() == 0 ? null : cmd[0] + " exited " + p.exitValue() + (out.isEmpty() ? "" : ": " + out);
    }
}
