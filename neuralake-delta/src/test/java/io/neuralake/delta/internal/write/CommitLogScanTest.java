package io.neuralake.delta.internal.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.delta.DeltaTable;
import io.neuralake.delta.internal.KernelEngines;
import io.neuralake.delta.internal.StoreFileIO;
import io.neuralake.engine.Engine;
import io.neuralake.frame.Frame;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a writer that took its commit request back from another process finds out whether that
 * process's commit landed: by the first file it added, in the log entries since the version it read.
 */
class CommitLogScanTest {
  private static final Pattern ADD_PATH = Pattern.compile("\"add\":\\{\"path\":\"([^\"]+)\"");

  @TempDir Path dir;

  @AfterEach
  void awaitHooks() {
    DeltaWrites.awaitHooks();
  }

  @Test
  void findsTheEntryThatAddedAFileAndOnlyInTheRangeAsked() throws Exception {
    LakeContext context = new LakeContext(Location.parse(dir.toString()), Storage.defaults(), Engine.shared());
    DeltaTable table = DeltaTable.builder("t", "t").schema(Schema.of(Field.required("id", DataType.INT64))).build();
    table.create(context); // version 0
    for (long i = 0; i < 3; i++) {
      table.append(Frame.fromRows(List.of(Map.of("id", i)))).context(context).commit(); // versions 1 to 3
    }
    String second = firstAdd(dir.resolve("t/_delta_log/00000000000000000002.json"));
    // as Kernel names it to the committer
    String logDir = StoreFileIO.qualified(Location.parse(dir.resolve("t/_delta_log").toString()));
    io.delta.kernel.engine.Engine engine = KernelEngines.of(context);

    assertThat(CommitQueue.firstEntryAdding(engine, logDir, 1, 4, second)).isEqualTo(OptionalLong.of(2));
    assertThat(CommitQueue.firstEntryAdding(engine, logDir, 3, 4, second)).as("after it").isEmpty();
    assertThat(CommitQueue.firstEntryAdding(engine, logDir, 1, 2, second)).as("before it").isEmpty();
    assertThat(CommitQueue.firstEntryAdding(engine, logDir, 1, 4, "no-such-file.parquet")).isEmpty();
  }

  private static String firstAdd(Path entry) throws Exception {
    Matcher m = ADD_PATH.matcher(Files.readString(entry));
    assertThat(m.find()).as("an add in " + entry).isTrue();
    return m.group(1);
  }
}
