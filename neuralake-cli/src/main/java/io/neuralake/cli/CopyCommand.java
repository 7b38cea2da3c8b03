package io.neuralake.cli;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.storage.S3ObjectStore;
import io.neuralake.storage.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Copies local files into a lake: the Java replacement of the blueprint's upload script. */
@Command(name = "cp", mixinStandardHelpOptions = true,
    description = "Copy a local file or folder into a lake location (s3://bucket/prefix or a local folder)."
        + " S3 settings come from AWS_* variables; large files go up in parallel parts.")
final class CopyCommand implements Callable<Integer> {
  @CommandLine.Mixin Main.Common common;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Parameters(index = "0", paramLabel = "LOCAL", description = "A file or a folder (copied recursively).")
  Path source;

  @CommandLine.Parameters(index = "1", paramLabel = "DEST", description = "e.g. s3://neuralake-bucket/parts.parquet or s3://bucket/prefix/")
  String destination;

  @Override
  public Integer call() throws IOException {
    if (!Files.exists(source)) {
      throw new NeuralakeException(ErrorCode.OBJECT_NOT_FOUND, "nothing to copy: " + source + " does not exist");
    }
    Location dest = Location.parse(destination);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(source)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    long total = 0;
    for (Path f : files) {
      total += Files.size(f);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Storage storage = Storage.defaults();
        ProgressBar bar = Progress.bar("Copying", total, " MiB", 1 << 20, true)) {
      ObjectStore store = storage.storeFor(dest);
      boolean intoFolder = Files.isDirectory(source) || destination.endsWith("/");
      for (Path f : files) {
        Location target = intoFolder
            ? dest.resolve(Files.isDirectory(source) ? source.relativize(f).toString().replace('\\', '/') : f.getFileName().toString())
            : dest;
        bar.setExtraMessage(" " + f.getFileName()); // after the speed, which ends without a space
        if (store instanceof S3ObjectStore s3) {
          s3.putFile(target, f, bar::stepBy);
        } else {
          store.putFile(target, f);
          bar.stepBy(Files.size(f));
        }
      }
    }
    out.println("copied " + files.size() + " file" + (files.size() == 1 ? "" : "s") + " (" + total + " bytes) to " + dest);
    out.flush();
    return 0;
  }
}
