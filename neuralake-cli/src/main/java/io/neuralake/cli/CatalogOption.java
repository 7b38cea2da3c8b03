package io.neuralake.cli;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.CatalogLoader;
import picocli.CommandLine;

/** The {@code --catalog} option: a .java file, a folder of them, or {@code some.jar!com.x.MyCatalog}. */
final class CatalogOption {
  @CommandLine.Option(
      names = {"-c", "--catalog"},
      paramLabel = "PATH",
      defaultValue = "${env:NEURALAKE_CATALOG}",
      description = "The catalog: a .java file or a folder of them (compiled in memory), or JAR!CLASS."
          + " Default: $NEURALAKE_CATALOG.")
  String path;

  Catalog load() {
    return CatalogLoader.load(spec());
  }

  /** The catalog as given (for loaders of its own, such as the server's), or a usage error. */
  String spec() {
    if (path == null || path.isBlank()) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "no catalog given: pass --catalog PATH (a .java file or a folder of them) or set NEURALAKE_CATALOG");
    }
    return path;
  }

  /** Splits {@code db.table}; errors name what was expected. */
  static String[] tableName(String qualified) {
    String[] parts = qualified.split("\\.");
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "'" + qualified + "' is not a table name; write it as database.table, e.g. tpch.part");
    }
    return parts;
  }
}
