package tokencost.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import tokencost.spark.PausePoint;

/**
 * The report's folder, replaced whole: the pages and charts are written to a staging folder beside it, which takes its
 * place only once complete (the previous report is moved aside, the new one renamed in, the previous one deleted). A
 * reader sees the previous report or the new one, never a half-written one; a run that fails or is killed leaves the
 * previous report as it was. Between the two renames (microseconds) the folder is absent: a process killed there
 * leaves the previous report aside, whole, and the next write puts it back first. Staging and aside folders carry the
 * writer's pid, so the next write removes those of dead writers only.
 *
 * <p>Since the folder is replaced whole, only a folder that holds nothing but a report may be the target (see
 * {@link #whyNotReplaceable}): never one with other files in it.
 */
public final class ReportFolder {
    /** Written into every report: the folder is tokencost's to replace. */
    public static final String MARKER = ".tokencost-report";
    private static final String STAGING = ".new-";
    private static final String ASIDE = ".old-";

    private final Path target;
    private final Path staging;
    private final Path aside;

    private ReportFolder(Path target) {
        this.target = target.toAbsolutePath().normalize();
        String tag = ProcessHandle.current().pid() + "-" + System.nanoTime();
        this.staging = sibling(this.target, STAGING + tag);
        this.aside = sibling(this.target, ASIDE + tag);
    }

    /** "." + the folder's name + kind + tag: hidden, beside the target (so the rename stays on one file system). */
    private static Path sibling(Path target, String suffix) {
        return target.resolveSibling("." + target.getFileName() + suffix);
    }

    /**
     * Prepares a new report for {@code target}: a previous report a killed writer left aside is put back, the staging and
     * aside folders of dead writers are removed, and an empty staging folder is created.
     */
    public static ReportFolder replacing(Path target) {
        ReportFolder f = new ReportFolder(target);
        String why = whyNotReplaceable(f.target);
        if (why != null) throw new IllegalStateException("the report folder " + f.target + " " + why);
        try {
            Files.createDirectories(f.target.getParent());
            f.recover();
            Files.createDirectory(f.staging);
            Files.writeString(f.staging.resolve(MARKER), "written by tokencost: this folder is replaced whole by the next report\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the report beside " + f.target + ": " + e.getMessage(), e);
        }
        return f;
    }

    /** Where the pages and charts are written until {@link #publish}. */
    public Path staging() {
        return staging;
    }

    /** The staging folder takes the target's place; the previous report is deleted once the new one is in. */
    public Path publish() {
        try {
            boolean previous = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
            if (previous) Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
            PausePoint.reached(PausePoint.REPORT_SWAP);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (previous) Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE); // the previous report stays
                throw e;
            }
            if (previous) deleteTree(aside);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the new report into " + target + ": " + e.getMessage(), e);
        }
    }

    /** Removes the staging folder of a report that will not be published (a failed notebook); the previous one stays. */
    public void discard() {
        try {
            deleteTree(staging);
        } catch (IOException e) {
            // a staging folder left behind is removed by the next write
        }
    }

    /** Puts back a previous report a killed writer left aside; removes what dead writers left. */
    private void recover() throws IOException {
        List<Path> leftovers = new ArrayList<>();
        String prefix = "." + target.getFileName();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(target.getParent(), prefix + ".*")) {
            for (Path p : siblings) {
                String rest = p.getFileName().toString().substring(prefix.length());
                if ((rest.startsWith(STAGING) || rest.startsWith(ASIDE)) && !writerAlive(rest)) leftovers.add(p);
            }
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            // killed between its two renames: the newest previous report aside is the report
            leftovers.stream().filter(p -> p.getFileName().toString().substring(prefix.length()).startsWith(ASIDE))
                    .max(Comparator.comparing(p -> p.toFile().lastModified())).ifPresent(p -> {
                        try {
                            Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                            leftovers.remove(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
        for (Path p : leftovers) deleteTree(p);
    }

    /** Whether the writer named in ".new-PID-NANOS" / ".old-PID-NANOS" still runs. */
    private static boolean writerAlive(String suffix) {
        String[] parts = suffix.substring(suffix.indexOf('-') + 1).split("-");
        try {
            long pid = Long.parseLong(parts[0]);
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not ours: leave it
        }
    }

    /**
     * Why {@code target} may not be replaced by a report (null: it may): it must be absent, empty, a report (it holds
     * {@link #MARKER}), or a report written before the marker existed (index.html, style.css and nothing but pages and
     * charts/*.svg). Its parent must be writable: the new report is written beside it.
     */
    public static String whyNotReplaceable(Path target) {
        Path t = target.toAbsolutePath().normalize();
        Path parent = t.getParent();
        if (parent == null) return "is the root of the file system";
        if (Files.isDirectory(parent) && !Files.isWritable(parent)) {
            return "cannot be replaced: its parent " + parent + " is not writable (the report is written beside it, then moved in)";
        }
        if (!Files.isDirectory(t)) return null;
        try (Stream<Path> entries = Files.list(t)) {
            List<Path> all = entries.toList();
            if (all.isEmpty() || Files.exists(t.resolve(MARKER))) return null;
            boolean earlierReport = Files.isRegularFile(t.resolve(ReportWriter.INDEX)) && Files.isRegularFile(t.resolve("style.css"));
            for (Path p : all) {
                if (!earlierReport || !reportEntry(p)) {
                    return "is not a tokencost report (it holds " + p.getFileName() + "): the report replaces its folder whole, "
                            + "so give a new or empty folder, or one holding a report";
                }
            }
            return null;
        } catch (IOException e) {
            return "cannot be read: " + e.getMessage();
        }
    }

    private static boolean reportEntry(Path p) throws IOException {
        String name = p.getFileName().toString();
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return name.endsWith(".html") || name.equals("style.css");
        if (!name.equals("charts") || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return false;
        try (Stream<Path> charts = Files.list(p)) {
            return charts.allMatch(c -> c.getFileName().toString().endsWith(".svg") && Files.isRegularFile(c, LinkOption.NOFOLLOW_LINKS));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
