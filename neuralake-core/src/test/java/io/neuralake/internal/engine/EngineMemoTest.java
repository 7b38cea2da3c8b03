package io.neuralake.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.storage.LocalObjectStore;
import io.neuralake.storage.Location;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** What an engine remembers between queries, and when it asks again. */
class EngineMemoTest {
  private final EngineMemo memo = new EngineMemo();
  private final AtomicInteger asked = new AtomicInteger();

  private Function<String, String> engine(String answer) {
    return text -> {
      asked.incrementAndGet();
      return answer + ":" + text;
    };
  }

  @Test
  void aTextIsParsedOnceAndItsTreeUnparsedOnce() {
    assertThat(memo.parseTree("SELECT 1", engine("tree"))).isEqualTo("tree:SELECT 1");
    assertThat(memo.parseTree("SELECT 1", engine("other"))).isEqualTo("tree:SELECT 1");
    assertThat(memo.parseTree("SELECT 2", engine("tree"))).isEqualTo("tree:SELECT 2");
    assertThat(memo.unparse("{}", engine("sql"))).isEqualTo("sql:{}");
    assertThat(memo.unparse("{}", engine("sql"))).isEqualTo("sql:{}");
    assertThat(asked).hasValue(3);
  }

  @Test
  void aHugeTextIsNotRemembered() {
    String huge = "SELECT '" + "x".repeat(EngineMemo.MAX_TEXT) + "'";
    memo.parseTree(huge, engine("tree"));
    memo.parseTree(huge, engine("tree"));
    assertThat(asked).hasValue(2);
  }

  @Test
  void aFailureIsNotRemembered() {
    Function<String, String> failing = text -> {
      asked.incrementAndGet();
      throw new IllegalStateException("engine busy");
    };
    for (int i = 0; i < 2; i++) {
      try {
        memo.parseTree("SELECT 1", failing);
      } catch (IllegalStateException expected) {
        // asked again next time
      }
    }
    assertThat(asked).hasValue(2);
    assertThat(memo.parseTree("SELECT 1", engine("tree"))).isEqualTo("tree:SELECT 1");
  }

  @Test
  void theColumnsOfFilesAreAskedAgainWhenAFileChanges() {
    Schema a = Schema.of(Field.of("a", DataType.INT64));
    Function<String, Schema> describe = sql -> {
      asked.incrementAndGet();
      return a;
    };
    String sql = "SELECT * FROM read_parquet(['/lake/t/f.parquet'])";
    assertThat(memo.fileColumns(sql, plan(100, "v1"), describe)).isEqualTo(a);
    assertThat(memo.fileColumns(sql, plan(100, "v1"), describe)).isEqualTo(a);
    assertThat(asked).hasValue(1);
    memo.fileColumns(sql, plan(100, "v2"), describe); // rewritten in place: a new ETag
    memo.fileColumns(sql, plan(120, "v2"), describe); // or a new size
    assertThat(asked).hasValue(3);
  }

  private static ScanPlan.Files plan(long size, String etag) {
    ScanPlan.DataFile file = new ScanPlan.DataFile(Location.parse("/lake/t/f.parquet"), size, Optional.of(etag),
        OptionalLong.empty(), Map.of(), Optional.empty());
    return new ScanPlan.Files(new LocalObjectStore(), List.of(file), List.of(), Schema.of(Field.of("a", DataType.INT64)),
        ScanPlan.ScanStats.of(""));
  }
}
