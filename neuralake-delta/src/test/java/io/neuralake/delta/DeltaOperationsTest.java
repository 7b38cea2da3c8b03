package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.engine.Engine;
import io.neuralake.filter.Filter;
import io.neuralake.frame.Frame;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder-style write operations: nothing happens before commit()/run(), and progress counts the files. */
class DeltaOperationsTest {
  @TempDir Path dir;

  @AfterEach
  void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }

  private LakeContext context() {
    return new LakeContext(Location.parse(dir.toString()), Storage.defaults(), Engine.shared());
  }

  private static DeltaTable table() {
    return DeltaTable.builder("events", "events").schema(DeltaStreamingAndMaintenanceTest.EVENTS)
        .partitionedBy("region").build();
  }

  private long count(DeltaTable table, String where) {
    Catalog c = Catalog.builder("c").root(dir.toString()).database("db", table).build();
    return c.sql("SELECT * FROM db.events WHERE " + where).count();
  }

  @Test
  void eachOperationRunsOnlyWhenCommittedAndReportsItsFiles() {
    LakeContext ctx = context();
    DeltaTable table = table();
    long created = table.create(ctx).version();

    AppendOperation pending = table.append(Frame.fromRows(DeltaStreamingAndMaintenanceTest.rows(0, 10, "eu"))).context(ctx);
    assertThat(count(table, "TRUE")).as("an append not committed writes nothing").isZero();

    AtomicLong written = new AtomicLong();
    CommitResult first = pending.progress(written::addAndGet).commit();
    assertThat(first.version()).isEqualTo(created + 1);
    assertThat(written.get()).as("files written, as the commit counts them").isEqualTo(first.filesAdded()).isPositive();
    for (int i = 1; i < 3; i++) {
      table.append(Frame.fromRows(DeltaStreamingAndMaintenanceTest.rows(i * 10L, i * 10L + 10, "eu"))).context(ctx).commit();
    }
    table.append(Frame.fromRows(DeltaStreamingAndMaintenanceTest.rows(100, 105, "us"))).context(ctx).commit();

    AtomicLong compacted = new AtomicLong();
    OptimizeResult optimized = table.optimize().context(ctx).where(Filter.eq("region", "eu")).sortBy("id")
        .progress(compacted::addAndGet).run();
    assertThat(optimized.filesRemoved()).isEqualTo(3);
    assertThat(compacted.get()).isEqualTo(3);

    AtomicLong replaced = new AtomicLong();
    CommitResult backfill = table.overwrite(Frame.fromRows(DeltaStreamingAndMaintenanceTest.rows(200, 202, "eu")))
        .context(ctx).where(Filter.eq("region", "eu")).progress(replaced::addAndGet).commit();
    assertThat(replaced.get()).isEqualTo(backfill.filesAdded()).isPositive();
    assertThat(count(table, "region = 'eu'")).isEqualTo(2);
    assertThat(count(table, "region = 'us'")).as("other partitions untouched").isEqualTo(5);

    VacuumOperation vacuum = table.vacuum().context(ctx).retention(Duration.ZERO).retentionCheck(false);
    AtomicLong found = new AtomicLong();
    VacuumResult dry = vacuum.dryRun(true).progress(found::addAndGet).run();
    assertThat(dry.deleted()).as("the three files compacted away, and the compacted file the backfill replaced").hasSize(4);
    assertThat(found.get()).isEqualTo(dry.deleted().size());
    AtomicLong deleted = new AtomicLong();
    VacuumResult done = vacuum.dryRun(false).progress(deleted::addAndGet).run();
    assertThat(done.deleted()).containsExactlyInAnyOrderElementsOf(dry.deleted());
    assertThat(deleted.get()).isEqualTo(done.deleted().size());
    assertThat(count(table, "TRUE")).as("vacuum changes no rows").isEqualTo(7);
  }
}
