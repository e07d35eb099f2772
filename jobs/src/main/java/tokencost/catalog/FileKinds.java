package tokencost.catalog;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** What a path is, in a person's words: a file, a folder, a broken link, a link loop; and why a file cannot be read. */
public final class FileKinds {
    private FileKinds() {}

    /** "is a file", "is a folder", "is a symbolic link loop", "is a broken symbolic link", ... ; null when nothing is there. */
    public static String kindOf(Path p) {
        if (Files.isRegularFile(p)) return "is a file";
        if (Files.isDirectory(p)) return "is a folder";
        if (Files.exists(p)) return "is not a file or folder (a device, socket or pipe)";
        if (Files.isSymbolicLink(p)) return isLinkLoop(p) ? "is a symbolic link loop" : "is a broken symbolic link";
        return null;
    }

    /** Whether resolving {@code p} goes round in circles (ELOOP: too many levels of symbolic links). */
    public static boolean isLinkLoop(Path p) {
        try {
            p.toRealPath();
            return false;
        } catch (NoSuchFileException e) {
            return false;
        } catch (FileSystemException e) {
            String why = String.valueOf(e.getReason()) + " " + e.getMessage();
            return why.contains("levels of symbolic links") || why.contains("ELOOP");
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * Why the file at {@code p} cannot be read, in one phrase ("is a folder, not a file", "does not exist", "is not
     * readable (permission denied)", "does not exist: /x/calibration is a file, not a folder"); null when it can.
     * {@code stop} bounds the ancestors looked at (the catalog folder itself is checked by the command line).
     */
    public static String whyNotReadable(Path p, Path stop) {
        if (Files.isDirectory(p)) return "is a folder, not a file";
        if (!Files.exists(p)) {
            String kind = kindOf(p);
            if (kind != null) return kind;
            for (Path a = p.getParent(); a != null && (stop == null || a.startsWith(stop)) && !a.equals(stop); a = a.getParent()) {
                String k = kindOf(a);
                if (k == null) continue;
                return k.equals("is a folder") ? "file not found" : "does not exist: " + a + " " + k + ", not a folder";
            }
            return "file not found";
        }
        if (!Files.isRegularFile(p)) return "is not a regular file (a device, socket or pipe)";
        if (!Files.isReadable(p)) return "is not readable (permission denied)";
        try (var in = Files.newInputStream(p)) {
            in.read();
            return null;
        } catch (IOException e) {
            return "cannot be read: " + e.getMessage();
        }
    }

    /** Whether something (even a broken link) is at {@code p}. */
    public static boolean anythingAt(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }
}
