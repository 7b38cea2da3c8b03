package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCategory;
import io.neuralake.ErrorCode;
import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.delta.internal.write.PreparedCommit;
import io.neuralake.engine.Engine;
import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delta's failures, read and write, carry the code a front end answers from. */
class DeltaErrorCodesTest {
  @TempDir Path dir;

  @AfterEach
  void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }

  private LakeContext context() {
    return new LakeContext(Location.parse(dir.toString()), Storage.defaults(), Engine.shared());
  }

  private static ThrowingConsumer<Throwable> code(ErrorCode expected) {
    return e -> assertThat(ErrorCode.of(e)).as("the code of: " + e).isEqualTo(expected);
  }

  private static Frame row(Map<String, ?> values) {
    return Frame.fromRows(List.of(values));
  }

  @Test
  void aMissingTableIsNotFound() {
    DeltaTable absent = DeltaTable.builder("t", "absent").schema(Schema.of(Field.required("id", DataType.INT64))).build();
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", absent).build();
    assertThatThrownBy(() -> c.db("db").table("t").collect()).satisfies(code(ErrorCode.TABLE_NOT_FOUND))
        .hasMessageContaining("no Delta table at");
    assertThatThrownBy(() -> absent.append(row(Map.of("id", 1L))).context(context()).commit()).satisfies(code(ErrorCode.TABLE_NOT_FOUND))
        .hasMessageContaining("create it first");
  }

  @Test
  void dataThatBreaksTheTablesRulesIsAConstraintViolation() {
    LakeContext context = context();
    DeltaTable table = DeltaTable.builder("t", "t")
        .schema(Schema.of(Field.required("id", DataType.INT64), Field.of("total", DataType.INT64)))
        .check("positive total", Expr.col("total").ge(0)).build();
    table.create(context);
    assertThatThrownBy(() -> table.append(row(Map.of("id", 1L, "nope", 2L))).context(context).commit())
        .satisfies(code(ErrorCode.SCHEMA_MISMATCH)).hasMessageContaining("has no column nope");
    Map<String, Object> nullId = new HashMap<>();
    nullId.put("id", null);
    nullId.put("total", 1L);
    assertThatThrownBy(() -> table.append(Frame.fromRows(List.of(Map.of("id", 1L, "total", 1L), nullId))).context(context).commit())
        .satisfies(code(ErrorCode.NOT_NULL_VIOLATED)).hasMessageContaining("must not be null");
    assertThatThrownBy(() -> table.append(row(Map.of("id", 1L, "total", -5L))).context(context).commit())
        .satisfies(code(ErrorCode.CONSTRAINT_VIOLATED)).hasMessageContaining("rows fail the check 'positive total'")
        .satisfies(e -> assertThat(ErrorCategory.of(e).httpStatus()).isEqualTo(422));
  }

  /**
   * A bad row among many, last in the data, partitioned or not: the write reads the data once
   * and fails on that row, so no data file reaches the table and no version is added.
   */
  @Test
  void aBadRowAmongManyLeavesNoFileAndNoVersion() throws Exception {
    LakeContext context = context();
    for (boolean partitioned : List.of(false, true)) {
      String name = partitioned ? "parted" : "flat";
      DeltaTable.Builder builder = DeltaTable.builder(name, name)
          .schema(Schema.of(Field.required("id", DataType.INT64), Field.of("day", DataType.STRING), Field.of("total", DataType.INT64)))
          .check("positive total", Expr.col("total").ge(0));
      DeltaTable table = (partitioned ? builder.partitionedBy("day") : builder).build();
      table.create(context);
      List<Map<String, Object>> rows = new java.util.ArrayList<>();
      for (long i = 0; i < 5_000; i++) {
        rows.add(Map.of("id", i, "day", "d" + (i % 3), "total", i));
      }
      rows.add(Map.of("id", 5_000L, "day", "d1", "total", -7L));
      assertThatThrownBy(() -> table.append(Frame.fromRows(rows)).context(context).commit())
          .as(name).satisfies(code(ErrorCode.CONSTRAINT_VIOLATED))
          .hasMessageContaining("rows fail the check 'positive total'").hasMessageContaining("-7");
      Map<String, Object> nullId = new HashMap<>(Map.of("day", "d2", "total", 1L));
      nullId.put("id", null);
      rows.set(rows.size() - 1, nullId);
      assertThatThrownBy(() -> table.append(Frame.fromRows(rows)).context(context).commit())
          .as(name).satisfies(code(ErrorCode.NOT_NULL_VIOLATED)).hasMessageContaining("must not be null");
      try (var files = java.nio.file.Files.walk(dir.resolve(name))) {
        assertThat(files.filter(f -> f.toString().endsWith(".parquet")).toList()).as(name + ": data files").isEmpty();
      }
      try (var log = java.nio.file.Files.list(dir.resolve(name).resolve("_delta_log"))) {
        assertThat(log.filter(f -> f.toString().endsWith(".json")).toList()).as(name + ": versions").hasSize(1);
      }
      rows.set(rows.size() - 1, Map.of("id", 5_000L, "day", "d1", "total", 7L));
      CommitResult committed = table.append(Frame.fromRows(rows)).context(context).commit();
      assertThat(committed.version()).as(name).isEqualTo(1);
      assertThat(committed.rowsAdded()).as(name).isEqualTo(5_001);
      try (var df = Catalog.builder("c").root(dir.toString()).database("db", table).build().sql("SELECT count(*) AS n, sum(total) AS s FROM db." + name).collect()) {
        assertThat(List.of(df.get(0, "n").toString(), df.get(0, "s").toString())).as(name).containsExactly("5001", "12497507");
      }
    }
  }

  /**
   * Two writers prepare schema changes on the same version; the second to commit finds the table's
   * metadata changed under it, which Kernel cannot rebase: a lost race, for the caller to retry.
   */
  @Test
  void aLostCommitRaceIsAConflict() {
    LakeContext context = context();
    DeltaTable table = DeltaTable.builder("t", "t").schema(Schema.of(Field.required("id", DataType.INT64)))
        .property("delta.columnMapping.mode", "name").build();
    table.create(context);
    WriteOptions merge = WriteOptions.builder().mergeSchema(true).build();
    PreparedCommit first = DeltaWrites.prepareAppend(table, context, row(Map.of("id", 1L, "a", 1L)), merge, Optional.empty(), n -> { });
    PreparedCommit second = DeltaWrites.prepareAppend(table, context, row(Map.of("id", 2L, "b", 2L)), merge, Optional.empty(), n -> { });
    first.commit();
    assertThatThrownBy(second::commit).satisfies(code(ErrorCode.COMMIT_CONFLICT))
        .hasMessageContaining("table 't': the commit conflicted with another writer").hasMessageContaining("nothing was committed")
        .satisfies(e -> assertThat(ErrorCategory.of(e).httpStatus()).isEqualTo(409));
  }
}
