package tokencost.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import tokencost.catalog.InvalidInputException;

/** The {@code tokencost} command. */
@Command(name = "tokencost", mixinStandardHelpOptions = true, version = Main.VERSION,
        description = "Economics of AI inference: cost, latency, energy per token; inference vs training.",
        subcommands = {RunCommand.class, SweepCommand.class, LifecycleCommand.class, NotebooksCommand.class, SqlCommand.class, HistoryCommand.class, BenchmarkCommand.class, EstimateCommand.class, CatalogCommand.class, ValidateCommand.class, CalibrateCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    static final String VERSION = "tokencost 0.1.0";

    /** Exit codes: 2 = bad input (nothing was done), 3 = a run that failed or could not proceed, or a bug. */
    static final int BAD_INPUT = 2;
    static final int FAILED = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        CommandLine.ITypeConverter<Integer> whole = s -> {
            try {
                return tokencost.catalog.WholeNumbers.parseInt(s);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        };
        cl.registerConverter(Integer.class, whole).registerConverter(int.class, whole);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> failure(ex, cmd.getErr(), args));
        try {
            return cl.execute(args);
        } catch (Throwable t) { // an Error (out of memory, a stack overflow) is not given to picocli's handler
            PrintWriter err = cl.getErr();
            int code = internalError(t, err, args);
            err.flush();
            return code;
        }
    }

    /**
     * What the user sees of a failure, and the exit code: never a stack trace. Bad input (a path, the conf, a catalog,
     * an argument) is one line per problem, exit 2; a run that failed or could not proceed (lock held, a failed job)
     * is its message, exit 3; anything else is a bug: one line and the file holding the full trace, exit 3.
     */
    static int failure(Throwable ex, PrintWriter err, String[] args) {
        if (ex instanceof ValidateCommand.Failed all) {
            for (String p : all.lines()) err.println("error: " + p);
            if (!all.problems().isEmpty()) err.println("error: " + new InvalidInputException(all.problems()).getMessage());
            return BAD_INPUT;
        }
        if (ex instanceof PathChecks.BadPathsException bad) {
            for (String p : bad.problems()) err.println("error: " + p);
            return BAD_INPUT;
        }
        if ((ex instanceof InvalidInputException || ex instanceof IllegalArgumentException) && hasMessage(ex)) {
            err.println("error: " + ex.getMessage());
            return BAD_INPUT;
        }
        if (ex instanceof IllegalStateException && hasMessage(ex)) {
            // one line: a longer message (Spark's carry stack traces) is whole in the trace file
            String first = tokencost.tables.AuditedRun.firstLine(ex.getMessage());
            err.println("error: " + first);
            if (ex.getCause() != null || !first.equals(ex.getMessage().strip())) {
                Path trace = writeTrace(ex, args);
                if (trace != null) err.println("  full trace: " + trace);
            }
            return FAILED;
        }
        return internalError(ex, err, args);
    }

    private static boolean hasMessage(Throwable t) {
        return t.getMessage() != null && !t.getMessage().isBlank();
    }

    /** An unexpected failure: one line, with the file where the full trace was written. */
    static int internalError(Throwable t, PrintWriter err, String[] args) {
        Path trace = writeTrace(t, args);
        err.println("error: internal error (a bug in tokencost, not a problem with your input): " + summary(t)
                + (trace != null ? "; full trace in " + trace
                        : "; the full trace could not be written to " + System.getProperty("java.io.tmpdir")));
        return FAILED;
    }

    /** The exception and its root cause, on one line. */
    static String summary(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String s = oneLine(t);
        if (root != t) s += " (caused by " + oneLine(root) + ")";
        return s.length() > 500 ? s.substring(0, 499) + "…" : s;
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        String first = m == null ? "" : m.strip().lines().findFirst().orElse("");
        return t.getClass().getName() + (first.isEmpty() ? "" : ": " + first);
    }

    /** Writes the full trace, the command line and the versions to a new file under the temp folder; null if it cannot. */
    static Path writeTrace(Throwable t, String[] args) {
        try {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            String text = VERSION + "\ncommand: tokencost " + String.join(" ", args) + "\ntime: " + Instant.now()
                    + "\njava: " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")\n\n" + trace;
            Path file = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "tokencost-error-", ".txt");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (Throwable cannot) { // a full disk, an unwritable temp folder: the one-line message still goes out
            return null;
        }
    }
}
