package tokencost.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tokencost} command. */
@Command(name = "tokencost", mixinStandardHelpOptions = true, version = "tokencost 0.1.0",
        description = "Economics of AI inference: cost, latency, energy per token; inference vs training.",
        subcommands = {RunCommand.class, SweepCommand.class, LifecycleCommand.class, NotebooksCommand.class, SqlCommand.class, HistoryCommand.class, BenchmarkCommand.class, EstimateCommand.class, CatalogCommand.class, ValidateCommand.class, CalibrateCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

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
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof tokencost.catalog.InvalidInputException || ex instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            if (ex instanceof IllegalStateException) { // a run that could not proceed (lock held, wrong Spark)
                cmd.getErr().println("error: " + ex.getMessage());
                return 3;
            }
            throw ex;
        });
        return cl.execute(args);
    }
}
