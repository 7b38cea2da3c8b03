package io.neuralake.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.neuralake.ErrorCategory;
import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code neuralake} command. */
@Command(
    name = "neuralake",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A code-first data lake: tables declared in Java, queried as frames and SQL.",
    subcommands = {
      DemoCommand.class,
      TablesCommand.class,
      DescribeCommand.class,
      QueryCommand.class,
      SqlCommand.class,
      RunCommand.class,
      HistoryCommand.class,
      DeltaCommands.Create.class,
      DeltaCommands.Optimize.class,
      DeltaCommands.Vacuum.class,
      CopyCommand.class,
      S3Command.class,
      ServeCommand.class,
      ExportCommand.class,
      SiteCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    ExitGuard.install();
    int status = execute(args);
    ExitGuard.exitingNormally();
    System.exit(status);
  }

  /**
   * Runs the command line; returns the exit code: 0 ok, 2 bad usage, else the failure's
   * {@link ErrorCategory#exitCode()} (2 bad input, 3 not found, ..., 1 an internal error).
   */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(Main::onError);
    withVersion(cli);
    return cli.execute(args);
  }

  /** Every command's -V (and --version, where it does not select a table version) prints the program's version. */
  private static void withVersion(CommandLine command) {
    if (command.getCommandSpec().versionProvider() == null) {
      command.getCommandSpec().versionProvider(new Version());
    }
    command.getSubcommands().values().forEach(Main::withVersion);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** One clear line on stderr, the stack trace only with --verbose; the exit status tells the kind of failure. */
  private static int onError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    boolean verbose = parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose");
    Throwable shown = e;
    while (shown.getCause() != null && shown.getMessage() == null) {
      shown = shown.getCause();
    }
    String message = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
    err.println("error: " + message);
    if (verbose) {
      e.printStackTrace(err);
    } else {
      err.println("(run with --verbose for details)");
    }
    err.flush();
    return ErrorCategory.of(e).exitCode();
  }

  /** Options every command takes. */
  static final class Common {
    @CommandLine.Option(names = {"-v", "--verbose"}, description = "Log what happens, and show stack traces on errors.")
    void verbose(boolean on) {
      if (on) {
        ((Logger) LoggerFactory.getLogger("io.neuralake")).setLevel(Level.DEBUG);
      }
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"neuralake " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }
  }
}
