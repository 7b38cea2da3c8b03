package io.neuralake.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Locations as users write them: schemes, slashes, odd characters and attempts to climb out. */
class LocationTest {
  @Test
  void s3LocationsKeepBucketAndKeyAsWritten() {
    assertThat(Location.parse("s3://bucket/a/b.parquet")).isEqualTo(new Location("s3", "bucket", "a/b.parquet"));
    assertThat(Location.parse("S3A://bucket/a/")).isEqualTo(new Location("s3", "bucket", "a/"));
    assertThat(Location.parse("s3://bucket")).isEqualTo(new Location("s3", "bucket", ""));
    assertThat(Location.parse("  s3://b/k  ")).isEqualTo(new Location("s3", "b", "k"));
    assertThat(Location.parse("s3://b/date=2024-01-01/ü *?[x].parquet").key()).isEqualTo("date=2024-01-01/ü *?[x].parquet");
    assertThat(Location.parse("s3://bucket/a/b").toString()).isEqualTo("s3://bucket/a/b");
    assertThat(Location.parse("s3://bucket").isFolder()).isTrue();
  }

  @Test
  void localLocationsAreAbsoluteAndNormalized() {
    Location l = Location.parse("rel/../x/");
    assertThat(l.isLocal()).isTrue();
    assertThat(l.key()).isEqualTo(Path.of("x").toAbsolutePath() + "/");
    assertThat(Location.parse("file:///tmp/a%20b/c").key()).isEqualTo("/tmp/a b/c");
    assertThat(Location.parse("file:/tmp/a b/").key()).isEqualTo("/tmp/a b/"); // Hadoop's spelling, not escaped
    assertThat(Location.parse("/tmp/a/../b").key()).isEqualTo("/tmp/b");
    assertThat(Location.ofPath(Path.of("/tmp/x")).path()).isEqualTo(Path.of("/tmp/x"));
  }

  @Test
  void badLocationsNameTheTextAndTheFix() {
    assertThatThrownBy(() -> Location.parse("")).hasMessageContaining("empty location");
    assertThatThrownBy(() -> Location.parse("s3:///key")).hasMessageContaining("no bucket");
    assertThatThrownBy(() -> Location.parse("gs://b/k")).hasMessageContaining("'gs'").hasMessageContaining("s3://");
    assertThatThrownBy(() -> Location.parse(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Location.parse("s3://b/k").path()).hasMessageContaining("not a local path");
  }

  @Test
  void foldersEndWithASlashSoPrefixesStopAtFolderBoundaries() {
    Location folder = Location.parse("s3://b/date=2024-01-0");
    assertThat(folder.isFolder()).isFalse();
    assertThat(folder.asFolder().key()).isEqualTo("date=2024-01-0/");
    assertThat(folder.relativize(Location.parse("s3://b/date=2024-01-01/x"))).isNull();
    assertThat(folder.relativize(Location.parse("s3://b/date=2024-01-0/x"))).isEqualTo("x");
    assertThat(folder.relativize(Location.parse("s3://other/date=2024-01-0/x"))).isNull();
    assertThat(Location.parse("s3://b/a/b/").name()).isEqualTo("b");
    assertThat(Location.parse("s3://b/").name()).isEqualTo("");
  }

  @Test
  void resolveAppendsBelowTheFolder() {
    Location root = Location.parse("s3://b/t");
    assertThat(root.resolve("a=1/x.parquet")).isEqualTo(new Location("s3", "b", "t/a=1/x.parquet"));
    assertThat(root.resolve("//a")).isEqualTo(new Location("s3", "b", "t/a"));
    assertThat(root.resolve("a..b/c.")).isEqualTo(new Location("s3", "b", "t/a..b/c."));
  }

  @Test
  void resolveNeverClimbsOutOfTheFolder() {
    for (Location root : List.of(Location.parse("s3://b/t/"), Location.parse("/tmp/lake/t/"))) {
      for (String escape : List.of("..", "../x", "a/../../x", "./x", "a/./b", "a/..")) {
        assertThatThrownBy(() -> root.resolve(escape)).as(root + " + " + escape)
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + escape + "'");
      }
    }
  }
}
