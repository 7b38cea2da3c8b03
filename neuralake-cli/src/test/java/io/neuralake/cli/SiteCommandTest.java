package io.neuralake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.sample.SampleLake;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code neuralake site}: progress lines, the site written, and errors that name the path at fault. */
class SiteCommandTest {
  @TempDir Path dir;

  private record Run(int status, String err) {}

  private static Run run(String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int status = Main.execute(args);
      return new Run(status, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }

  private Path catalog() throws IOException {
    Path lake = dir.resolve("lake");
    SampleLake.create(lake);
    Path sources = Files.createDirectories(dir.resolve("catalog"));
    Files.writeString(sources.resolve("Shop.java"), """
        import io.neuralake.catalog.Catalog;
        import io.neuralake.table.ParquetTable;

        public final class Shop {
          public static Catalog catalog() {
            return Catalog.builder("shop").database("tpch", ParquetTable.builder("part", %s)
                .description("Parts.").build()).build();
          }
        }
        """.formatted('"' + lake.resolve("parts.parquet").toString().replace("\\", "\\\\") + '"'));
    return sources;
  }

  @Test
  void writesTheSiteWithAProgressLinePerStep() throws IOException {
    Path out = dir.resolve("dist");
    Run r = run("site", "--catalog", catalog().toString(), "--out", out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).contains("loading the catalog " + dir.resolve("catalog"),
        "reading the metadata of 1 tables in 1 databases (no table data is read)", "database tpch: 1 table",
        "wrote ", "open " + out.resolve("index.html"));
    assertThat(out.resolve("db/tpch/part.html")).isRegularFile();
    assertThat(Files.readString(out.resolve("catalog.json"))).contains("\"format_version\" : 1");
  }

  @Test
  void anOutThatIsAFileIsAUsageErrorNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    Run r = run("site", "--catalog", catalog().toString(), "--out", file.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--out " + file + " is a file, not a folder");
  }

  @Test
  void aMissingCatalogIsAnErrorNamingIt() {
    Path missing = dir.resolve("no-such-catalog");
    Run r = run("site", "--catalog", missing.toString(), "--out", dir.resolve("dist").toString());
    assertThat(r.status()).isNotZero();
    assertThat(r.err()).contains(missing.toString());
  }
}
