package io.neuralake.cli;

import io.neuralake.spi.FileWrites;
import java.util.Optional;

/**
 * Makes catalog code that ends the process (System.exit) a failure. Without it a catalog calling
 * {@code System.exit(0)} made the CLI exit 0 with no output: the caller believed it succeeded.
 * Java 21 has no SecurityManager to forbid the call, so a shutdown hook looks at who called
 * {@code Runtime.exit}: the CLI itself, a signal (no exit frame: Ctrl-C keeps its usual status) or,
 * when {@link #allowProgramExits() allowed}, a program run by {@code neuralake run} pass; anything
 * else prints what happened and halts with status 1.
 */
final class ExitGuard {
  static final int FAILED = 1;

  private static volatile boolean cliExiting;
  private static volatile boolean programExitsAllowed;

  private ExitGuard() {}

  static void install() {
    Runtime.getRuntime().addShutdownHook(new Thread(ExitGuard::onShutdown, "neuralake-exit-guard"));
  }

  /** The CLI is about to exit with its own status. */
  static void exitingNormally() {
    cliExiting = true;
  }

  /** A script is a program: its own System.exit(n) is its exit status. */
  static void allowProgramExits() {
    programExitsAllowed = true;
  }

  private static void onShutdown() {
    if (cliExiting || programExitsAllowed) {
      return;
    }
    exitCaller().ifPresent(caller -> {
      System.out.flush();
      System.err.println("error: the catalog code ended the process (System.exit called at " + caller + ") before the"
          + " command finished, so it failed; catalog code must return or throw an exception, not exit");
      System.err.flush();
      FileWrites.deleteTemporaryFiles(); // halting stops the other shutdown hooks, which would have done this
      Runtime.getRuntime().halt(FAILED);
    });
  }

  /** The first frame outside java.lang below a thread's Runtime.exit, if a thread is exiting. */
  private static Optional<StackTraceElement> exitCaller() {
    for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
      for (int i = 0; i < stack.length; i++) {
        if (stack[i].getClassName().equals("java.lang.Runtime") && stack[i].getMethodName().equals("exit")) {
          for (int j = i + 1; j < stack.length; j++) {
            if (!stack[j].getClassName().equals("java.lang.System") && !stack[j].getClassName().equals("java.lang.Runtime")) {
              return Optional.of(stack[j]);
            }
          }
        }
      }
    }
    return Optional.empty();
  }
}
