package io.neuralake.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.filter.Filters;
import io.neuralake.frame.Frame;
import io.neuralake.testing.Fixtures;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables without versions (Parquet, function tables) refuse a version or a timestamp instead of ignoring it. */
class VersionsRefusedTest {
  @TempDir static Path dir;
  static Catalog catalog;

  static final ParquetTable EVENTS = ParquetTable.builder("events", "events").build();
  static final FunctionTable PLAIN = FunctionTable.builder("plain",
      () -> Frame.fromRows(List.of(Map.of("x", 1L)))).build();
  static final FunctionTable WITH_OPTIONS = FunctionTable.builder("with_options",
      options -> Frame.fromRows(List.of(Map.of("x", 1L)))).build();

  @BeforeAll
  static void setUp() {
    Fixtures.writeEvents(dir.resolve("events"));
    catalog = Catalog.builder("c").root(dir.toString()).database("db", EVENTS, PLAIN, WITH_OPTIONS).build();
  }

  @Test
  void aVersionOrTimestampInReadOptionsIsRefusedNamingTheTableAndItsKind() {
    ReadOptions version = ReadOptions.builder().version(1).build();
    ReadOptions timestamp = ReadOptions.builder().timestamp(Instant.parse("2024-04-28T00:00:00Z")).build();
    assertThatThrownBy(() -> catalog.db("db").table("events", version))
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_SUPPORTED))
        .hasMessageContaining("db.events").hasMessageContaining("parquet table").hasMessageContaining("version 1")
        .hasMessageContaining("only Delta tables");
    assertThatThrownBy(() -> catalog.db("db").table("events", timestamp))
        .hasMessageContaining("db.events").hasMessageContaining("2024-04-28T00:00:00Z");
    for (String function : List.of("plain", "with_options")) {
      assertThatThrownBy(() -> catalog.db("db").table(function, version))
          .hasMessageContaining("db." + function).hasMessageContaining("function table");
    }
    assertThat(catalog.db("db").table("events").count()).as("without a version it reads").isPositive();
  }

  @Test
  void readOptionsRefuseNegativeVersionsAndNulls() {
    assertThatThrownBy(() -> ReadOptions.builder().version(-1)).hasMessageContaining("0 or more, got -1");
    assertThatThrownBy(() -> new ReadOptions(Filters.none(), List.of(), java.util.OptionalLong.of(-2),
        java.util.Optional.empty()))
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("got -2");
    assertThatThrownBy(() -> ReadOptions.builder().timestamp(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("timestamp");
    assertThatThrownBy(() -> ReadOptions.builder().version(1).timestamp(Instant.EPOCH).build())
        .hasMessageContaining("not both");
  }

  @Test
  void planningDirectlyRefusesToo() {
    LakeContext context = catalog.context();
    ReadOptions version = ReadOptions.builder().version(0).build();
    assertThatThrownBy(() -> EVENTS.plan(version, Filters.none(), context)).hasMessageContaining("parquet table");
    assertThatThrownBy(() -> WITH_OPTIONS.plan(version, Filters.none(), context)).hasMessageContaining("function table");
  }

  @Test
  void anAtClauseInSqlIsRefusedForTablesWithoutVersions() {
    assertThatThrownBy(() -> catalog.sql("SELECT count(*) FROM db.events AT (VERSION => 1)").collect())
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_SUPPORTED))
        .hasMessageContaining("db.events").hasMessageContaining("parquet table").hasMessageContaining("only Delta tables");
    assertThatThrownBy(() -> catalog.sql("SELECT * FROM plain AT (TIMESTAMP => '2024-04-28')").collect())
        .hasMessageContaining("db.plain").hasMessageContaining("function table");
    assertThatThrownBy(() -> catalog.sql("WITH t AS (SELECT 1 AS x) SELECT * FROM t AT (VERSION => 1)").collect())
        .hasMessageContaining("'t'").hasMessageContaining("AT (VERSION");
  }
}
