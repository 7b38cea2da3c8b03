package io.neuralake.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress on standard error: a bar redrawn in place on a terminal; elsewhere (a log, a pipe) a
 * plain line now and then, since the bar's carriage returns would clutter the file.
 */
final class Progress {
  /** How often a plain line is printed when standard error is not a terminal. */
  private static final int PLAIN_INTERVAL_MILLIS = 10_000;

  private Progress() {}

  /** A bar for {@code max} steps (-1: unknown), counted in {@code unit}s of {@code unitSize}. */
  static ProgressBar bar(String task, long max, String unit, long unitSize, boolean showSpeed) {
    ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUnit(unit, unitSize)
        .setStyle(ProgressBarStyle.ASCII).setMaxRenderedLength(100);
    if (showSpeed) {
      b.showSpeed();
    }
    if (stderrIsTerminal()) {
      b.setConsumer(new ConsoleProgressBarConsumer(System.err));
    } else {
      b.setConsumer(new DelegatingProgressBarConsumer(new PlainLines(), 100)).setUpdateIntervalMillis(PLAIN_INTERVAL_MILLIS);
    }
    return b.build();
  }

  /** Lines on standard error, each once: closing a bar renders its last state again. */
  private static final class PlainLines implements Consumer<String> {
    private String last;

    @Override
    public synchronized void accept(String rendered) {
      String line = rendered.strip();
      if (!line.equals(last)) {
        System.err.println(line);
        System.err.flush();
        last = line;
      }
    }
  }

  /**
   * The launcher says (it can test the descriptor, {@code [ -t 2 ]}); run without it, Linux tells
   * through /proc; otherwise assume not, so logs stay clean.
   */
  static boolean stderrIsTerminal() {
    String declared = System.getProperty("neuralake.stderr.terminal");
    if (declared != null && !declared.isBlank()) {
      return Boolean.parseBoolean(declared);
    }
    try {
      String device = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty") || device.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
