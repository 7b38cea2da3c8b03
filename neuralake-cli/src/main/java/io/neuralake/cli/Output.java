package io.neuralake.cli;

import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.internal.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;

/** The {@code --format}, {@code --out} and {@code --max-rows} options, and writing a result with them. */
final class Output {
  @CommandLine.Option(names = {"-f", "--format"}, defaultValue = "table",
      description = "table (boxed, for people), csv (header line, then one line per row), json (one object per line)"
          + " or parquet (needs --out). Default: ${DEFAULT-VALUE}.")
  String format;

  @CommandLine.Option(names = {"-o", "--out"}, paramLabel = "FILE",
      description = "Write to FILE instead of standard output. The file appears only when complete.")
  Path out;

  @CommandLine.Option(names = "--max-rows", defaultValue = "20",
      description = "Rows shown by --format table before eliding the middle. Default: ${DEFAULT-VALUE}.")
  int maxRows;

  void write(Frame frame, PrintWriter stdout) {
    String f = format.toLowerCase(Locale.ROOT);
    switch (f) {
      case "table" -> {
        try (DataFrame df = frame.collect()) {
          String text = df.toString(maxRows, 12);
          if (out != null) {
            writeAtomically(out, text + System.lineSeparator());
          } else {
            stdout.println(text);
          }
        }
      }
      case "csv", "json", "parquet" -> {
        if (out != null) {
          switch (f) {
            case "csv" -> frame.writeCsv(out);
            case "json" -> frame.writeJson(out);
            default -> frame.writeParquet(out);
          }
        } else if (f.equals("parquet")) {
          throw new IllegalArgumentException("--format parquet writes a binary file: give it --out FILE");
        } else {
          streamThroughFile(frame, f, stdout);
        }
      }
      default -> throw new IllegalArgumentException("unknown --format '" + format + "'; use table, csv, json or parquet");
    }
  }

  /** The engine writes CSV and JSON itself (quoting, escaping); we pass its file on. */
  private static void streamThroughFile(Frame frame, String format, PrintWriter stdout) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("neuralake-", "." + format);
      if (format.equals("csv")) {
        frame.writeCsv(tmp);
      } else {
        frame.writeJson(tmp);
      }
      try (var lines = Files.lines(tmp)) {
        lines.forEach(stdout::println);
      }
      stdout.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a temp file; the OS cleans its temp folder
        }
      }
    }
  }

  private static void writeAtomically(Path file, String text) {
    AtomicFiles.write(file, tmp -> Files.writeString(tmp, text));
  }
}
