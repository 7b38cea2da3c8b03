package io.neuralake.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.junit.jupiter.api.Test;

/** Browsing a code-defined catalog from Spark SQL: namespaces, tables, schemas, properties and errors. */
class NeuralakeCatalogTest {
  private final SparkSession spark = SparkTestLake.spark();

  private List<String> column(String sql, int index) {
    return spark.sql(sql).collectAsList().stream().map(r -> String.valueOf(r.get(index))).toList();
  }

  @Test
  void databasesAreNamespacesAndTablesAreListed() {
    assertThat(column("SHOW NAMESPACES IN lake", 0)).containsExactly("bci", "shop", "fn", "interop", "sink");
    assertThat(column("SHOW TABLES IN lake.bci", 1)).containsExactly("spikes");
    assertThat(column("SHOW TABLES IN lake.fn", 1)).containsExactlyInAnyOrder("regions", "odd_types");
    assertThat(spark.sql("DESCRIBE NAMESPACE EXTENDED lake.bci").collectAsList().stream()
        .map(r -> r.getString(0) + "=" + r.getString(1)).toList())
        .contains("Comment=Brain-computer interface sessions.");
  }

  @Test
  void describeShowsTheSchemaFromMetadataWithTypesCommentAndProperties() {
    Map<String, String> columns = spark.sql("DESCRIBE TABLE lake.bci.spikes").collectAsList().stream()
        .filter(r -> !r.getString(0).startsWith("#") && !r.getString(0).isBlank())
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1), (a, b) -> a, java.util.LinkedHashMap::new));
    assertThat(columns).containsEntry("ts", "timestamp_ntz").containsEntry("channel", "int")
        .containsEntry("spike_count", "bigint").containsEntry("rate_hz", "double")
        .containsEntry("implant_id", "bigint").containsEntry("date", "string");

    List<Row> extended = spark.sql("DESCRIBE TABLE EXTENDED lake.bci.spikes").collectAsList();
    String text = extended.stream().map(r -> r.getString(0) + "\t" + r.getString(1)).collect(Collectors.joining("\n"));
    assertThat(text).contains("Comment\tBinned spike counts per channel.")
        .contains("kind=parquet").contains("partitions=implant_id,date").contains("data_input=Implant telemetry.");
    assertThat(text).as("partitions as Spark's partitioning")
        .contains("# Partition Information\t\n# col_name\tdata_type\nimplant_id\tbigint\ndate\tstring");
    assertThat(text).as("the data is the catalog's, not Spark's").contains("Type\tEXTERNAL");
    assertThat(text).as("the location resolved against the catalog's root")
        .contains("Location\t" + SparkTestLake.root().resolve("spikes"));

    Map<String, String> delta = spark.sql("DESCRIBE TABLE lake.shop.orders").collectAsList().stream()
        .filter(r -> !r.getString(0).startsWith("#") && !r.getString(0).isBlank())
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1), (a, b) -> a));
    assertThat(delta).containsEntry("o_orderkey", "bigint").containsEntry("o_orderdate", "date")
        .containsEntry("o_region", "string").containsEntry("o_total", "double");
  }

  @Test
  void anUnknownTableIsSparksOwnTableNotFound() {
    assertThatThrownBy(() -> spark.sql("SELECT * FROM lake.bci.nope").collect())
        .isInstanceOf(AnalysisException.class).hasMessageContaining("TABLE_OR_VIEW_NOT_FOUND")
        .hasMessageContaining("`lake`.`bci`.`nope`");
    assertThatThrownBy(() -> spark.sql("SELECT * FROM lake.nodb.spikes").collect())
        .isInstanceOf(AnalysisException.class).hasMessageContaining("TABLE_OR_VIEW_NOT_FOUND");
    assertThat(spark.catalog().tableExists("lake.bci.spikes")).isTrue();
    assertThat(spark.catalog().tableExists("lake.bci.nope")).isFalse();
  }

  @Test
  void writesAndDefinitionsAreRefusedAsReadOnly() {
    assertThatThrownBy(() -> spark.sql("CREATE TABLE lake.bci.made (a INT)").collect())
        .isInstanceOf(AnalysisException.class).hasMessageContaining("read-only")
        .hasMessageContaining("declared in its code");
    assertThatThrownBy(() -> spark.sql("DROP TABLE lake.bci.spikes").collect())
        .isInstanceOf(AnalysisException.class).hasMessageContaining("read-only");
    assertThatThrownBy(() -> spark.sql("CREATE NAMESPACE lake.more").collect())
        .isInstanceOf(AnalysisException.class).hasMessageContaining("read-only");
    assertThat(spark.sql("SHOW TABLES IN lake.bci").count()).isEqualTo(1);
  }

  @Test
  void aCatalogThatDoesNotCompileIsAClearAnalysisError() throws Exception {
    Path broken = Files.createTempDirectory("broken-catalog");
    Files.writeString(broken.resolve("Broken.java"), """
        import io.neuralake.catalog.Catalog;
        public final class Broken {
          public static Catalog catalog() {
            return Catalog.builder("broken").databse("db").build();
          }
        }
        """);
    spark.conf().set("spark.sql.catalog.broken", NeuralakeCatalog.class.getName());
    spark.conf().set("spark.sql.catalog.broken.catalog", broken.toString());
    assertThatThrownBy(() -> spark.sql("SHOW TABLES IN broken.db").collect())
        .isInstanceOf(AnalysisException.class)
        .hasMessageContaining("the Neuralake catalog 'broken'")
        .hasMessageContaining("do not compile")
        .hasMessageContaining("Broken.java:4:")
        .satisfies(e -> assertThat(e.getCause()).as("no stack of internals underneath").isNull());
  }

  @Test
  void aMissingCatalogOptionSaysWhichOptionToSet() {
    spark.conf().set("spark.sql.catalog.nocode", NeuralakeCatalog.class.getName());
    assertThatThrownBy(() -> spark.sql("SHOW NAMESPACES IN nocode").collect())
        .hasMessageContaining("spark.sql.catalog.nocode.catalog");
  }

  @Test
  void anUnknownTableIsNoSuchTableFromTheCatalogApi() {
    NeuralakeCatalog catalog = new NeuralakeCatalog();
    catalog.initialize("direct", new org.apache.spark.sql.util.CaseInsensitiveStringMap(
        Map.of("catalog", SparkTestLake.catalogSources().toString())));
    assertThatThrownBy(() -> catalog.loadTable(org.apache.spark.sql.connector.catalog.Identifier.of(
        new String[] {"bci"}, "nope"))).isInstanceOf(NoSuchTableException.class);
  }
}
