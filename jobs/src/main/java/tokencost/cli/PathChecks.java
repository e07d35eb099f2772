package tokencost.cli;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tokencost.catalog.FileKinds;
import tokencost.tables.Warehouse;
import tokencost.tables.WarehouseLock;

/**
 * Every path the user gives, checked before Spark starts or anything is created: a file to read, a folder to
 * read, a folder to write (existing, or creatable under a writable parent). Each problem is one line naming the
 * option, the path and the reason; {@link #check()} throws them all at once (exit 2). Nothing here creates,
 * opens for writing or probes anything on disk.
 */
final class PathChecks {

    /** The problems found, one line each; the CLI prints each after "error: " and exits 2. */
    static final class BadPathsException extends IllegalArgumentException {
        private final List<String> problems;

        BadPathsException(List<String> problems) {
            super(String.join("\n", problems));
            this.problems = List.copyOf(problems);
        }

        List<String> problems() {
            return problems;
        }
    }

    private final List<String> problems = new ArrayList<>();

    /** Throws every problem found so far; nothing when all paths are fine. */
    void check() {
        if (!problems.isEmpty()) throw new BadPathsException(problems);
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    /** A file to read, e.g. --conf. */
    PathChecks inputFile(String option, Path given) {
        if (given == null || empty(option, given.toString())) return this;
        Path p = absolute(given);
        String what = name(option, given.toString(), p);
        if (!Files.exists(p)) missing(what, p, "does not exist");
        else if (Files.isDirectory(p)) add(what, "is a folder, not a file");
        else if (!Files.isRegularFile(p)) add(what, "is not a regular file");
        else if (!Files.isReadable(p)) add(what, "is not readable (permission denied)");
        return this;
    }

    /** A folder to read, e.g. --datasets, --notebooks. */
    PathChecks inputFolder(String option, Path given) {
        if (given == null || empty(option, given.toString())) return this;
        Path p = absolute(given);
        String what = name(option, given.toString(), p);
        if (!Files.exists(p)) missing(what, p, "does not exist");
        else if (!Files.isDirectory(p)) add(what, kindOf(p) + ", not a folder");
        else if (!Files.isReadable(p) || !Files.isExecutable(p)) add(what, "is not readable (permission denied)");
        return this;
    }

    /** A folder to write into, e.g. --out, --report, --scratch: an existing writable folder, or one that can be created. */
    PathChecks outputFolder(String option, Path given) {
        if (given == null || empty(option, given.toString())) return this;
        writableFolder(name(option, given.toString(), absolute(given)), absolute(given));
        return this;
    }

    /**
     * The report's folder (--report, --out): a folder to write as {@link #outputFolder}, which the report may replace
     * whole (absent, empty or a report; see {@link tokencost.report.ReportFolder#whyNotReplaceable}).
     */
    PathChecks reportFolder(String option, Path given) {
        if (given == null || empty(option, given.toString())) return this;
        Path p = absolute(given);
        String what = name(option, given.toString(), p);
        if (!writableFolder(what, p)) return this;
        String why = tokencost.report.ReportFolder.whyNotReplaceable(p);
        if (why != null) add(what, why);
        return this;
    }

    /** The warehouse a job writes: a local folder as {@link #outputFolder}, whose writer lock file can be opened. */
    PathChecks warehouseToWrite(String option, String given, Warehouse wh) {
        if (given == null || empty(option, given) || !wh.isLocal()) return this;
        Path p = wh.localPath();
        String what = name(option, given, p);
        if (!writableFolder(what, p) || !Files.isDirectory(p)) return this;
        Path lock = p.resolve(WarehouseLock.FILE);
        if (Files.exists(lock, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(lock)) add(what, "its writer lock " + lock + " " + kindOf(lock) + ", not a file");
            else if (!Files.isWritable(lock) || !Files.isReadable(lock)) add(what, "its writer lock " + lock + " is not writable");
        }
        return this;
    }

    /** The warehouse a command reads: when it exists it must be a readable folder; {@code mustExist} for the report. */
    PathChecks warehouseToRead(String option, String given, Warehouse wh, boolean mustExist) {
        if (given == null || empty(option, given) || !wh.isLocal()) return this;
        Path p = wh.localPath();
        String what = name(option, given, p);
        if (!Files.exists(p)) {
            if (mustExist || Files.exists(p, LinkOption.NOFOLLOW_LINKS)) missing(what, p, "does not exist (no tables to read: run tokencost sweep first)");
            else parentIsNotAFolder(what, p);
        } else if (!Files.isDirectory(p)) {
            add(what, kindOf(p) + ", not a folder");
        } else if (!Files.isReadable(p) || !Files.isExecutable(p)) {
            add(what, "is not readable (permission denied)");
        }
        return this;
    }

    /** Returns whether the folder is fine. */
    private boolean writableFolder(String what, Path p) {
        int before = problems.size();
        if (Files.exists(p)) {
            if (!Files.isDirectory(p)) add(what, kindOf(p) + ", not a folder");
            else if (!Files.isWritable(p)) add(what, "is not writable (permission denied or a read-only file system)");
            else if (!Files.isReadable(p) || !Files.isExecutable(p)) add(what, "is not readable (permission denied)");
        } else if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            add(what, kindOf(p));
        } else {
            Path ancestor = existingAncestor(p);
            if (ancestor == null) {
                add(what, "cannot be created: no part of the path exists");
            } else if (!Files.exists(ancestor)) {
                add(what, "cannot be created: " + ancestor + " " + kindOf(ancestor));
            } else if (!Files.isDirectory(ancestor)) {
                add(what, "cannot be created: " + ancestor + " " + kindOf(ancestor) + ", not a folder");
            } else if (!Files.isWritable(ancestor) || !Files.isExecutable(ancestor)) {
                add(what, "does not exist and cannot be created: " + ancestor
                        + " is not writable (permission denied or a read-only file system)");
            }
        }
        return problems.size() == before;
    }

    private void missing(String what, Path p, String reason) {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            add(what, kindOf(p));
            return;
        }
        if (!parentIsNotAFolder(what, p)) add(what, reason);
    }

    /** A path under a regular file (/etc/passwd/x) can never exist: says so. Returns whether it did. */
    private boolean parentIsNotAFolder(String what, Path p) {
        Path ancestor = existingAncestor(p);
        if (ancestor != null && !Files.isDirectory(ancestor)) {
            add(what, "does not exist: " + ancestor + " " + kindOf(ancestor) + (Files.exists(ancestor) ? ", not a folder" : ""));
            return true;
        }
        return false;
    }

    /** The nearest ancestor that exists (a broken link counts: it blocks creating the folder). */
    private static Path existingAncestor(Path p) {
        for (Path a = p.getParent(); a != null; a = a.getParent()) {
            if (Files.exists(a, LinkOption.NOFOLLOW_LINKS)) return a;
        }
        return null;
    }

    /** A file, a folder, a link loop, a broken link, or something else (a device, socket or pipe). */
    private static String kindOf(Path p) {
        String kind = FileKinds.kindOf(p);
        return kind != null ? kind : "does not exist";
    }

    /** Relative to the current directory (see {@link CliPaths}). */
    private static Path absolute(Path given) {
        return CliPaths.resolve(given);
    }

    /** An empty path names nothing (it would silently mean the current folder): refused. Returns whether it was empty. */
    private boolean empty(String option, String given) {
        if (!given.isEmpty()) return false;
        problems.add(option + " '': is empty: give a path (. for the current folder)");
        return true;
    }

    /** The option and the path as given, with the absolute path when it differs. */
    private static String name(String option, String given, Path absolute) {
        String quoted = "'" + given + "'";
        return absolute.toString().equals(given) ? option + " " + quoted : option + " " + quoted + " (" + absolute + ")";
    }

    private void add(String what, String reason) {
        problems.add(what + ": " + reason);
    }
}
