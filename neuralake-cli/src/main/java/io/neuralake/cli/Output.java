package io.neuralake.cli;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.spi.Engines;
import io.neuralake.spi.FileWrites;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
      description = "Write to FILE instead of standard output ('-' is standard output, e.g. to pipe parquet)."
          + " A regular file appears only when complete; a symbolic link's target is written; a FIFO or device is"
          + " written into. Refused if FILE is a data file the query reads.")
  String out;

  @CommandLine.Option(names = "--max-rows", defaultValue = "20",
      description = "Rows shown by --format table before eliding the middle. Default: ${DEFAULT-VALUE}.")
  int maxRows;

  void write(Frame frame, PrintWriter stdout) {
    String f = format.toLowerCase(Locale.ROOT);
    Path file = out == null || out.equals("-") ? null : Path.of(out);
    switch (f) {
      case "table" -> {
        if (file != null) {
          Engines.refuseToOverwriteInput(frame, file);
        }
        try (DataFrame df = frame.collect()) {
          String text = df.toString(maxRows, 12);
          if (file != null) {
            FileWrites.write(file, tmp -> Files.writeString(tmp, text + System.lineSeparator(), StandardCharsets.UTF_8));
          } else {
            stdout.println(text);
            if (stdout.checkError()) { // a PrintWriter keeps write errors (a full disk) to itself
              throw new UncheckedIOException("could not write the result to standard output", new IOException("write failed"));
            }
          }
        }
      }
      case "csv", "json", "parquet" -> {
        if (file != null) {
          write(frame, f, file);
        } else if (f.equals("parquet") && out == null) {
          throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
              "--format parquet writes a binary file: give it --out FILE, or --out - to"
              + " write it to standard output (e.g. a pipe)");
        } else {
          // the engine writes files itself (quoting, escaping, Parquet); its bytes are passed on unchanged
          stdout.flush();
          // the descriptor itself, not System.out: a PrintStream hides write errors (a full disk)
          FileWrites.writeTo(new FileOutputStream(FileDescriptor.out), "." + f, tmp -> write(frame, f, tmp));
        }
      }
      default -> throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "unknown --format '" + format + "'; use table, csv, json or parquet");
    }
  }

  private static void write(Frame frame, String format, Path file) {
    switch (format) {
      case "csv" -> frame.writeCsv(file);
      case "json" -> frame.writeJson(file);
      default -> frame.writeParquet(file);
    }
  }
}
