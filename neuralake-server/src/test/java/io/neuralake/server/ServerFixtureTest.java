package io.neuralake.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.frame.DataFrame;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doors' test lake reads as the library reads it, and its engine is sandboxed. */
class ServerFixtureTest {
  @TempDir
  static Path dir;
  static ServerFixture lake;

  @BeforeAll
  static void create() {
    lake = ServerFixture.create(dir);
  }

  @AfterAll
  static void close() {
    lake.close();
  }

  @Test
  void theTablesHoldTheirRows() {
    try (DataFrame df = lake.catalog.sql("SELECT (SELECT count(*) FROM bci.spikes) AS spikes,"
        + " (SELECT count(*) FROM tpch.part) AS parts, (SELECT count(*) FROM tpch.orders) AS orders").collect()) {
      assertThat(df.rows().get(0)).containsEntry("spikes", 18_000L).containsEntry("parts", 2_000L)
          .containsEntry("orders", 15_000L);
    }
  }

  @Test
  void theEngineIsSandboxed() {
    assertThat(lake.catalog.context().engine().options().sandboxed()).isTrue();
    assertThatThrownBy(() -> lake.catalog.sql("SELECT * FROM read_text('/etc/passwd')").collect())
        .isInstanceOf(NeuralakeException.class)
        .satisfies(e -> assertThat(((NeuralakeException) e).code()).isEqualTo(ErrorCode.NOT_ALLOWED));
  }

  @Test
  void aUserWithSomeDatabasesSeesOnlyThose() {
    assertThat(lake.catalog.only(java.util.List.of("bci")).dbs()).containsExactly("bci");
    assertThatThrownBy(() -> lake.catalog.only(java.util.List.of("bci")).sql("SELECT * FROM tpch.part").collect())
        .satisfies(e -> assertThat(ErrorCode.of(e)).isEqualTo(ErrorCode.TABLE_NOT_FOUND));
  }
}
