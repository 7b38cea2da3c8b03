package io.neuralake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end: the real jar in child processes, on a demo lake it creates itself. */
class CliIT {
  @TempDir static Path work;
  static Path lake;
  static Path catalog;
  static Map<String, String> env;

  @BeforeAll
  static void createTheDemo() {
    Cli.Result r = Cli.jar(work, Map.of(), "demo", "--dir", "lake");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    lake = work.resolve("lake");
    catalog = lake.resolve("catalog");
    env = Map.of("NEURALAKE_LAKE_ROOT", lake.toString(), "NEURALAKE_CATALOG", catalog.toString());
  }

  private static Cli.Result run(String... args) {
    return Cli.jar(work, env, args);
  }

  @Test
  void aBadSettingIsOneLineNamingItNeverAStackTrace() {
    Map<String, String> cases = Map.of(
        "NEURALAKE_THREADS", "many",
        "NEURALAKE_MEMORY_LIMIT", "lots",
        "NEURALAKE_LAKE_ROOT", "ftp://somewhere");
    cases.forEach((name, value) -> {
      Map<String, String> bad = new java.util.HashMap<>(env);
      bad.put(name, value);
      Cli.Result r = Cli.jar(work, bad, "sql", "SELECT count(*) AS n FROM tpch.part", "--format", "csv");
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
      assertThat(r.err()).as(r.toString()).contains("error: " + name + "='" + value + "'").contains("e.g. " + name + "=")
          .doesNotContain("Exception").doesNotContain("\tat ");
    });
    // S3 settings are read when a store is first needed
    Cli.Result r = Cli.jar(work, Map.of("AWS_ALLOW_HTTP", "yes please", "AWS_ENDPOINT_URL", "http://127.0.0.1:9",
        "AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s"), "cp", lake.resolve("parts.parquet").toString(), "s3://b/p");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).as(r.toString()).contains("error: AWS_ALLOW_HTTP='yes please'").doesNotContain("Exception");
  }

  @Test
  void theDemoRunsInAFolderWhoseNameHasQuotesSpacesAndGlobCharacters() {
    Path odd = work.resolve("it's a [lake]*");
    Cli.Result demo = Cli.jar(work, Map.of(), "demo", "--dir", odd.toString());
    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    Map<String, String> oddEnv = Map.of("NEURALAKE_LAKE_ROOT", odd.toString(), "NEURALAKE_CATALOG", odd.resolve("catalog").toString());
    Cli.Result counts = Cli.jar(work, oddEnv, "sql", "SELECT (SELECT count(*) FROM tpch.orders) AS orders,"
        + " (SELECT count(*) FROM tpch.part) AS parts", "--format", "csv");
    assertThat(counts.out().lines().toList()).as(counts.toString()).containsExactly("orders,parts", "15000,2000");
  }

  @Test
  void demoWroteTheLakeAndTheCatalogSources() {
    assertThat(lake.resolve("parts.parquet")).exists();
    assertThat(lake.resolve("spikes/implant_id=4595/date=2024-04-28/part-0.parquet")).exists();
    assertThat(catalog.toFile().list()).containsExactlyInAnyOrderElementsOf(DemoCommand.CATALOG_SOURCES);
    // every example source ships in the jar
    try (var sources = Files.list(Cli.REPO.resolve("examples/demo"))) {
      assertThat(sources.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(DemoCommand.CATALOG_SOURCES);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void deltaTableHistoryTimeTravelAndDescribe() {
    Cli.Result history = run("history", "tpch.orders");
    assertThat(history.exitCode()).as(history.toString()).isZero();
    assertThat(history.out()).contains("CREATE TABLE").contains("WRITE");
    long written = history.out().lines().filter(l -> l.contains("WRITE"))
        .mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[l.trim().split("\\s+").length - 1])).sum();
    assertThat(written).as("rows of the streaming writer's commits").isEqualTo(15000);
    Cli.Result v0 = run("query", "tpch.orders", "--version", "0", "--format", "csv");
    assertThat(v0.exitCode()).as(v0.toString()).isZero();
    assertThat(v0.out().lines().count()).as("version 0 has the columns and no rows").isEqualTo(1);
    Cli.Result v1 = run("sql", "SELECT count(*) AS n FROM tpch.orders", "--format", "csv");
    assertThat(v1.out().lines().toList()).containsExactly("n", "15000");
    Cli.Result describe = run("describe", "tpch.orders");
    assertThat(describe.out()).contains("(delta table)").contains("version:").contains("partition columns: o_orderstatus");
    Cli.Result parquetHistory = run("history", "tpch.part");
    assertThat(parquetHistory.err()).contains("only Delta tables have a history");
  }

  @Test
  void demoRerunIsExactlyOnceThenOptimizeAndVacuum() {
    Map<String, String> env2 = Map.of("NEURALAKE_LAKE_ROOT", work.resolve("lake2").toString(),
        "NEURALAKE_CATALOG", work.resolve("lake2/catalog").toString());
    Cli.Result first = Cli.jar(work, Map.of(), "demo", "--dir", "lake2");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    Cli.Result again = Cli.jar(work, Map.of(), "demo", "--dir", "lake2");
    assertThat(again.out()).contains("nothing to write");
    assertThat(Cli.jar(work, env2, "sql", "SELECT count(*) AS n FROM tpch.orders", "--format", "csv").out().lines().toList())
        .containsExactly("n", "15000");

    Cli.Result optimize = Cli.jar(work, env2, "optimize", "tpch.orders", "--checkpoint");
    assertThat(optimize.exitCode()).as(optimize.toString()).isZero();
    assertThat(optimize.out()).contains("compacted").contains("into 3 in 3 partitions").contains("15000 rows")
        .contains("checkpoint at version");
    assertThat(work.resolve("lake2/orders/_delta_log/_last_checkpoint")).exists();
    // below the table's 7-day retention: refused, and the versions before the compaction stay readable
    Cli.Result refused = Cli.jar(work, env2, "vacuum", "tpch.orders", "--retention-hours", "0");
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err()).contains("table 'orders'").contains("0 hours").contains("delta.deletedFileRetentionDuration")
        .contains("168 hours (7 days)").contains("--force");
    Cli.Result zeroTarget = Cli.jar(work, env2, "optimize", "tpch.orders", "--target-file-mb", "0");
    assertThat(zeroTarget.exitCode()).as(zeroTarget.toString()).isEqualTo(2);
    assertThat(zeroTarget.err()).contains("--target-file-mb must be 1 or more, got 0");
    Cli.Result negative = Cli.jar(work, env2, "vacuum", "tpch.orders", "--retention-hours", "-5", "--force");
    assertThat(negative.exitCode()).as(negative.toString()).isEqualTo(2);
    assertThat(negative.err()).contains("--retention-hours must be 0 or more, got -5");
    Cli.Result v1 = Cli.jar(work, env2, "query", "tpch.orders", "--version", "1", "--format", "csv");
    assertThat(v1.exitCode()).as(v1.toString()).isZero();
    assertThat(Cli.jar(work, env2, "vacuum", "tpch.orders", "--dry-run").out()).as("the table's own retention")
        .contains(": would delete 0 files");
    Cli.Result dry = Cli.jar(work, env2, "vacuum", "tpch.orders", "--retention-hours", "0", "--force", "--dry-run");
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.out()).contains("would delete").doesNotContain("delete 0");
    Cli.Result vacuum = Cli.jar(work, env2, "vacuum", "tpch.orders", "--retention-hours", "0", "--force");
    assertThat(vacuum.out()).contains(": deleted ");
    assertThat(Cli.jar(work, env2, "sql", "SELECT count(*) AS n FROM tpch.orders", "--format", "csv").out().lines().toList())
        .containsExactly("n", "15000");
    Cli.Result create = Cli.jar(work, env2, "create", "tpch.orders");
    assertThat(create.out()).contains("tpch.orders exists");
  }

  @Test
  void versionsAndTimestampsOnlyForDeltaTablesAndInSql() {
    Cli.Result parquet = run("query", "tpch.part", "--version", "1");
    assertThat(parquet.exitCode()).as(parquet.toString()).isEqualTo(2);
    assertThat(parquet.err()).contains("tpch.part is a parquet table, which has no versions").contains("only Delta tables");
    Cli.Result function = run("query", "tpch.supplier", "--timestamp", "2024-04-28");
    assertThat(function.exitCode()).as(function.toString()).isEqualTo(2);
    assertThat(function.err()).contains("tpch.supplier is a function table").contains("2024-04-28T00:00:00Z");
    Cli.Result both = run("query", "tpch.orders", "--version", "1", "--timestamp", "2024-04-28");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--version or --timestamp, not both");
    Cli.Result future = run("query", "tpch.orders", "--timestamp", "2999-01-01");
    assertThat(future.exitCode()).isEqualTo(3);
    assertThat(future.err()).contains("after the last commit");

    Cli.Result byOption = run("query", "tpch.orders", "--version", "1", "--format", "csv");
    Cli.Result bySql = run("sql", "SELECT count(*) AS n FROM tpch.orders AT (VERSION => 1)", "--format", "csv");
    assertThat(bySql.exitCode()).as(bySql.toString()).isZero();
    long rows = byOption.out().lines().count() - 1;
    assertThat(rows).isBetween(1L, 14999L);
    assertThat(bySql.out().lines().toList()).containsExactly("n", Long.toString(rows));
    Cli.Result sqlParquet = run("sql", "SELECT count(*) FROM tpch.part AT (VERSION => 1)");
    assertThat(sqlParquet.exitCode()).isEqualTo(2);
    assertThat(sqlParquet.err()).contains("tpch.part is a parquet table");
  }

  @Test
  void theProgramVersionStillPrintsBesideQuerysVersionOption() {
    Cli.Result top = Cli.jar(work, Map.of(), "--version");
    assertThat(top.exitCode()).isZero();
    assertThat(top.out()).startsWith("neuralake ");
    Cli.Result query = Cli.jar(work, Map.of(), "query", "-V");
    assertThat(query.exitCode()).as(query.toString()).isZero();
    assertThat(query.out()).isEqualTo(top.out());
    assertThat(Cli.jar(work, Map.of(), "query", "--help").out()).contains("-V").contains("program's version")
        .contains("--version=N");
    Cli.Result history = Cli.jar(work, Map.of(), "history", "--version");
    assertThat(history.out()).isEqualTo(top.out());
  }

  @Test
  void tablesListsEveryTable() {
    Cli.Result r = run("tables");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("tpch.part", "tpch.supplier", "bci.spikes", "bci.daily_spikes")
        .contains("Supplier information.");
  }

  @Test
  void describeShowsPartitionsSchemaAndMetadata() {
    Cli.Result r = run("describe", "bci.spikes");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("bci.spikes (parquet table)", "partitioning:    HIVE", "implant_id", "spike_count",
        "example filters: [implant_id = 4595, date = '2024-04-28']");
  }

  @Test
  void queryPrintsABoxedTable() {
    Cli.Result r = run("query", "bci.spikes", "--filter", "implant_id = 4595", "--filter", "date = '2024-04-28'",
        "--columns", "channel,spike_count", "--limit", "3");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("shape: (3, 2)").contains("channel").contains("spike_count");
  }

  @Test
  void queryAsCsvPrintsAHeaderThenOneLinePerRow() {
    Cli.Result r = run("query", "tpch.part", "--filter", "p_partkey in [1, 2, 3]", "--columns", "p_partkey,p_brand",
        "--format", "csv");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("p_partkey,p_brand");
    assertThat(lines.subList(1, 4)).allMatch(l -> l.matches("[123],Brand#\\d\\d"));
  }

  @Test
  void queryAsJsonPrintsOneObjectPerLine() {
    Cli.Result r = run("query", "tpch.supplier", "--filter", "s_suppkey <= 2", "--format", "json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out().lines().toList()).hasSize(2).allMatch(l -> l.startsWith("{\"s_suppkey\":"));
  }

  @Test
  void queryToAParquetFile() {
    Path out = work.resolve("spikes-4595.parquet");
    Cli.Result r = run("query", "bci.spikes", "--filter", "implant_id = 4595", "--format", "parquet", "--out", out.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(out).exists();
    Cli.Result back = run("sql", "SELECT count(*) AS n FROM read_parquet('" + out + "')", "--format", "csv");
    assertThat(back.out().lines().toList()).containsExactly("n", "6000");
  }

  @Test
  void sqlOverTheCatalog() {
    Cli.Result r = run("sql", "SELECT s_name, count(*) AS n FROM tpch.part JOIN tpch.supplier ON p_partkey = s_suppkey"
        + " GROUP BY s_name ORDER BY s_name LIMIT 2", "--format", "csv");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out().lines().toList()).containsExactly("s_name,n", "Supplier#1,1", "Supplier#2,1");
  }

  @Test
  void explainShowsThePrunedScans() {
    Cli.Result r = run("sql", "SELECT count(*) FROM bci.spikes WHERE implant_id = 4595 AND date = '2024-04-28'", "--explain");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("bci.spikes (parquet): prefix=").contains("implant_id=4595/date=2024-04-28/")
        .contains("files=1/1");
  }

  @Test
  void functionTableWithOptions() {
    Cli.Result r = run("query", "bci.daily_spikes", "--filter", "implant_id = 5012", "--filter", "channel = 7", "--format", "csv");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out().lines().toList()).hasSize(4).first().isEqualTo("implant_id,date,channel,total_spikes,mean_rate_hz");
  }

  @Test
  void runsAJavaSourceScript() throws Exception {
    Path script = work.resolve("QueryData.java");
    Files.writeString(script, """
        import io.neuralake.catalog.CatalogLoader;
        import io.neuralake.frame.Expr;
        import java.nio.file.Path;
        public class QueryData {
          public static void main(String[] args) {
            var catalog = CatalogLoader.load(args[0]);
            System.out.println(catalog.db("tpch").table("part").filter(Expr.col("p_partkey").lt(4)).count() + " parts");
          }
        }
        """);
    Cli.Result r = run("run", script.toString(), catalog.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("3 parts");
  }

  /** The exit status says what kind of failure it was (ErrorCategory): 2 bad input, 3 not found, 1 a defect. */
  @Test
  void errorsAreOneLineOnStderrWithANonZeroExit() {
    Cli.Result unknown = run("query", "tpch.nope");
    assertThat(unknown.exitCode()).isEqualTo(3);
    assertThat(unknown.err()).startsWith("error: database 'tpch' has no table 'nope'; its tables are: orders, part, supplier")
        .doesNotContain("at io.neuralake");
    Cli.Result badType = run("query", "bci.spikes", "--filter", "implant_id = 'x'");
    assertThat(badType.exitCode()).isEqualTo(2);
    assertThat(badType.err()).contains("does not fit column 'implant_id' of type int64");
    Cli.Result badSql = run("sql", "SELEC 1");
    assertThat(badSql.exitCode()).isEqualTo(2);
    assertThat(badSql.err()).contains("does not parse");
    Cli.Result verbose = run("sql", "SELEC 1", "--verbose");
    assertThat(verbose.err()).contains("at io.neuralake");
    Cli.Result usage = run("query");
    assertThat(usage.exitCode()).isEqualTo(2);
    Cli.Result badFilter = run("query", "bci.spikes", "--filter", "implant_id ~ 3");
    assertThat(badFilter.exitCode()).isEqualTo(2);
    assertThat(badFilter.err()).contains("cannot read the filter");
    Cli.Result noCatalog = Cli.jar(work, Map.of(), "tables", "--catalog", work.resolve("no-such-catalog").toString());
    assertThat(noCatalog.exitCode()).as(noCatalog.toString()).isEqualTo(3);
    assertThat(noCatalog.err()).startsWith("error: no catalog at ");
  }

  @Test
  void aCatalogThatDoesNotCompileShowsFileAndLine() throws Exception {
    Path broken = work.resolve("broken");
    Files.createDirectories(broken);
    Files.writeString(broken.resolve("Broken.java"), "public class Broken {\n  int x = ;\n}\n");
    Cli.Result r = Cli.jar(work, Map.of(), "tables", "--catalog", broken.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("do not compile").contains(broken.resolve("Broken.java") + ":2:");
  }

  @Test
  void aFailedOutLeavesNoPartialFile() {
    Path out = work.resolve("failed.csv");
    Cli.Result r = run("sql", "SELECT CAST('x' || i AS INTEGER) FROM range(100000) t(i)", "--format", "csv", "--out", out.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(out).doesNotExist();
    try (var files = Files.list(work)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("failed.csv"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void progressIsPlainLinesWhenStderrIsNotATerminal() {
    Cli.Result r = Cli.jar(work, Map.of(), "demo", "--dir", "lake");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.err()).as("no bar redrawn in place").doesNotContain("\r").contains("Setting up the demo");
  }

  @Test
  void demoRefusesAFolderWithFilesItDidNotWrite() throws Exception {
    Path mine = work.resolve("mine");
    Files.createDirectories(mine.resolve("spikes"));
    Files.writeString(mine.resolve("parts.parquet"), "my own data");
    Files.writeString(mine.resolve("spikes/notes.txt"), "mine too");
    Cli.Result r = Cli.jar(work, Map.of(), "demo", "--dir", "mine");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
    assertThat(r.err()).contains(mine.toString()).contains("parts.parquet").contains("spikes/").contains("--reset");
    assertThat(mine.resolve("parts.parquet")).hasContent("my own data");
    assertThat(mine.resolve("spikes/notes.txt")).exists();
    assertThat(mine.resolve(DemoCommand.MARKER)).doesNotExist();

    Cli.Result reset = Cli.jar(work, Map.of(), "demo", "--dir", "mine", "--reset");
    assertThat(reset.exitCode()).as(reset.toString()).isZero();
    assertThat(mine.resolve("spikes/notes.txt")).doesNotExist();
    assertThat(mine.resolve(DemoCommand.MARKER)).exists();
  }

  @Test
  void catalogCodeThatExitsIsAFailure() throws Exception {
    Path exiting = work.resolve("exiting");
    Files.createDirectories(exiting);
    Files.writeString(exiting.resolve("ExitingCatalog.java"), """
        import io.neuralake.catalog.Catalog;
        public final class ExitingCatalog {
          public static Catalog catalog() {
            System.exit(0);
            return null;
          }
        }
        """);
    Path out = work.resolve("exiting.csv");
    for (String[] args : List.of(new String[] {"tables", "--catalog", exiting.toString()},
        new String[] {"sql", "SELECT 1", "--catalog", exiting.toString(), "--format", "csv", "--out", out.toString()})) {
      Cli.Result r = Cli.jar(work, Map.of(), args);
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
      assertThat(r.err()).contains("the catalog code ended the process").contains("ExitingCatalog.catalog(ExitingCatalog.java:4)");
    }
    assertThat(out).doesNotExist();
  }

  @Test
  void aScriptsOwnExitStatusPassesThrough() throws Exception {
    Path script = work.resolve("Exits.java");
    Files.writeString(script, """
        public class Exits {
          public static void main(String[] args) {
            System.out.println("exiting with " + args[0]);
            System.exit(Integer.parseInt(args[0]));
          }
        }
        """);
    for (String status : List.of("0", "3")) {
      Cli.Result r = run("run", script.toString(), status);
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(Integer.parseInt(status));
      assertThat(r.out()).contains("exiting with " + status);
      assertThat(r.err()).doesNotContain("error");
    }
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : List.of("demo", "tables", "describe", "query", "sql", "run", "history", "cp", "s3", "create",
        "optimize", "vacuum")) {
      Cli.Result r = Cli.jar(work, Map.of(), command, "--help");
      assertThat(r.exitCode()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage: neuralake " + command);
    }
    assertThat(Cli.jar(work, Map.of(), "--help").out()).contains("demo", "tables", "describe", "query", "sql", "run");
  }

  @Test
  void theReadmeMainCommandRunsInAFreshFolder(@TempDir Path fresh) {
    Cli.Result r = Cli.launcher(fresh, "demo");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("The seed's federated query").contains("shape: (4, 4)").contains("Supplier#5")
        .contains("files=2/2").contains("the streaming writer committed 15000 rows in 5 batches").contains("tpch.orders (delta)");
    assertThat(fresh.resolve("neuralake-demo/catalog/DemoCatalog.java")).exists();
  }
}
