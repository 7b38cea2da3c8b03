package io.neuralake.delta;

import io.neuralake.delta.internal.write.DeltaWrites;
import io.neuralake.engine.Engine;
import io.neuralake.frame.Frame;
import io.neuralake.storage.Location;
import io.neuralake.storage.Storage;
import io.neuralake.table.LakeContext;
import io.neuralake.table.TableDefinition;
import io.neuralake.testing.TableContract;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/** The table contract for Delta tables, written by Neuralake's own writer and partitioned by {@code part}. */
class DeltaTableContractTest extends TableContract {
  private static final Schema SCHEMA = Schema.of(Field.of("id", DataType.INT64), Field.of("part", DataType.STRING),
      Field.of("v", DataType.FLOAT64), Field.of("name", DataType.STRING));

  private static LakeContext context(Path dir) {
    return new LakeContext(Location.parse(dir.toString()), Storage.defaults(), Engine.shared());
  }

  @Override
  protected TableDefinition create(Path dir, String name) {
    DeltaTable table = DeltaTable.builder(name, name).schema(SCHEMA).partitionedBy("part").build();
    table.create(context(dir));
    table.append(Frame.fromRows(ROWS)).context(context(dir)).commit();
    return table;
  }

  @Override
  protected TableDefinition createEmpty(Path dir, String name) {
    DeltaTable table = DeltaTable.builder(name, name).schema(SCHEMA).build();
    table.create(context(dir));
    return table;
  }

  /** Background checkpoints finish before the temporary folder is deleted. */
  @AfterAll
  static void awaitCheckpoints() {
    DeltaWrites.awaitHooks();
  }
}
