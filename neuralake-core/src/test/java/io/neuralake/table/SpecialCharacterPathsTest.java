package io.neuralake.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.catalog.Catalog;
import io.neuralake.engine.Engine;
import io.neuralake.filter.Filter;
import io.neuralake.frame.DataFrame;
import io.neuralake.frame.Frame;
import io.neuralake.internal.scan.PathValues;
import io.neuralake.internal.sql.SqlLiterals;
import io.neuralake.storage.FileCache;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectStore;
import io.neuralake.storage.Storage;
import io.neuralake.testing.DuckDb;
import io.neuralake.testing.LocalS3;
import io.neuralake.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folder and file names with characters the engine would expand as globs ({@code * ? [}) or that
 * need quoting ({@code '}), spelled as Spark writes them (escaped, {@code %2A}) and as other tools
 * write them (unescaped): every file is read once, with its own partition value, and filters on
 * those values find the folders in either spelling, locally and over S3 through a cache folder
 * whose own name has such characters.
 */
class SpecialCharacterPathsTest {
  @TempDir static Path tmp;
  static Catalog local;
  static Catalog remote;

  /** Folder (as written) -> value the rows carry; one row per file, x numbering the files. */
  static final Map<String, String> FOLDERS = new TreeMap<>(Map.of(
      "eu", "eu",
      "e*", "e*",          // unescaped: read as a glob, it also matched eu
      "c%3F", "c?",        // escaped by Spark
      "c%3", "c%3",        // a '%' that starts no escape stays itself
      "x%27y", "x'y",      // a quote, escaped
      "q'r", "q'r",        // a quote, unescaped
      "b[1]", "b[1]",      // a bracket expression as a glob
      "100%25", "100%"));

  static TableDefinition[] tables(String hive, String directory) {
    Partition region = Partition.of("region", DataType.STRING);
    return new TableDefinition[] {
      ParquetTable.builder("hive", hive).partitioning(PartitioningScheme.HIVE, region).build(),
      ParquetTable.builder("dir", directory).partitioning(PartitioningScheme.DIRECTORY, region).build(),
      ParquetTable.builder("flat", hive + "/region=eu").build()
    };
  }

  @BeforeAll
  static void setUp() throws Exception {
    Path lake = tmp.resolve("lake");
    int x = 0;
    try (DuckDb db = new DuckDb()) {
      for (String folder : FOLDERS.keySet()) {
        // in eu, a file named like a glob that matches its sibling
        List<String> names = folder.equals("eu") ? List.of("a*.parquet", "ab.parquet", "q'[x].parquet") : List.of("f.parquet");
        for (String name : names) {
          Path plain = tmp.resolve("plain-" + x + ".parquet");
          db.execute("COPY (SELECT " + x + " AS x) TO '" + plain + "' (FORMAT parquet)");
          for (Path target : List.of(lake.resolve("hive/region=" + folder + "/" + name), lake.resolve("dir/" + folder + "/" + name))) {
            Files.createDirectories(target.getParent());
            Files.copy(plain, target);
          }
          x++;
        }
      }
    }
    local = Catalog.builder("local").root(lake.toString()).database("db", tables("hive", "dir")).build();

    String bucket = LocalS3.newBucket();
    FileCache cache = new FileCache(tmp.resolve("cache [*?']"), 1L << 30, Duration.ZERO);
    Storage storage = Storage.builder().s3(LocalS3.options()).cache(cache).build();
    ObjectStore s3 = storage.storeFor(Location.parse("s3://" + bucket + "/"));
    try (var files = Files.walk(lake)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        s3.putFile(Location.parse("s3://" + bucket + "/lake/" + lake.relativize(f)), f);
      }
    }
    remote = Catalog.builder("remote").root("s3://" + bucket + "/lake").storage(storage).engine(Engine.shared())
        .database("db", tables("hive", "dir")).build();
  }

  private static List<String> rows(Frame f) {
    try (DataFrame df = f.sort("x").collect()) {
      return DuckDb.Rows.of(df.rows());
    }
  }

  private static void both(Function<Catalog, Frame> query, List<String> expected) {
    assertThat(rows(query.apply(local))).as("local").isEqualTo(expected);
    assertThat(rows(query.apply(remote))).as("S3").isEqualTo(expected);
  }

  @Test
  void everyFileIsReadOnceWithItsOwnValue() {
    List<String> expected = List.of("0 | 100%", "1 | b[1]", "2 | c%3", "3 | c?", "4 | e*",
        "5 | eu", "6 | eu", "7 | eu", "8 | q'r", "9 | x'y");
    both(c -> c.db("db").table("hive"), expected);
    both(c -> c.db("db").table("dir"), expected);
    both(c -> c.db("db").table("flat"), List.of("5", "6", "7"));
  }

  @Test
  void filtersFindFoldersInEitherSpelling() {
    for (String table : List.of("hive", "dir")) {
      both(c -> c.db("db").table(table, Filter.eq("region", "e*")), List.of("4 | e*"));
      both(c -> c.db("db").table(table, Filter.eq("region", "x'y")), List.of("9 | x'y"));
      both(c -> c.db("db").table(table, Filter.eq("region", "q'r")), List.of("8 | q'r"));
      both(c -> c.db("db").table(table, Filter.eq("region", "c?")), List.of("3 | c?"));
      both(c -> c.db("db").table(table, Filter.eq("region", "100%")), List.of("0 | 100%"));
      both(c -> c.db("db").table(table, Filter.eq("region", "b[1]")), List.of("1 | b[1]"));
      both(c -> c.db("db").table(table, Filter.in("region", "e*", "c%3")), List.of("2 | c%3", "4 | e*"));
      both(c -> c.sql("SELECT x, region FROM db." + table + " WHERE region = 'e*'"), List.of("4 | e*"));
    }
  }

  @Test
  void folderNamesDecodeLenientlyAndEscapeAsSparkDoes() {
    assertThat(PathValues.unescape("x%27y")).isEqualTo("x'y");
    assertThat(PathValues.unescape("e%2a")).isEqualTo("e*");
    assertThat(PathValues.unescape("caf%C3%A9")).isEqualTo("café"); // URI encoders write UTF-8 bytes
    assertThat(PathValues.unescape("100%")).isEqualTo("100%");
    assertThat(PathValues.unescape("a%zzb+c")).isEqualTo("a%zzb+c");
    assertThat(PathValues.escape("a/b:c=d%")).isEqualTo("a%2Fb%3Ac%3Dd%25");
    assertThat(PathValues.hasOneSpelling("eu")).isTrue();
    assertThat(PathValues.hasOneSpelling("e*")).isFalse();
  }

  @Test
  void enginePathsMatchOnlyTheirFile() {
    assertThat(SqlLiterals.filePath(Path.of("/d/region=e*/a?[1].parquet"))).isEqualTo("'/d/region=e[*]/a[?][[]1].parquet'");
    assertThat(SqlLiterals.filePath(Path.of("/d/it's.parquet"))).isEqualTo("'/d/it''s.parquet'");
    assertThatThrownBy(() -> SqlLiterals.filePath(Path.of("/d/a\\b*.parquet")))
        .hasMessageContaining("the file '/d/a\\b*.parquet' cannot be read").hasMessageContaining("rename");
  }
}
