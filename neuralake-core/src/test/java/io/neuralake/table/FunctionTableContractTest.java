package io.neuralake.table;

import static io.neuralake.frame.Expr.col;

import io.neuralake.frame.Frame;
import io.neuralake.testing.TableContract;
import java.nio.file.Path;

/** The table contract for function tables: one computing its rows in full, one taking the read's options. */
class FunctionTableContractTest extends TableContract {
  @Override
  protected TableDefinition create(Path dir, String name) {
    return FunctionTable.builder(name, () -> Frame.fromRows(ROWS)).build();
  }

  @Override
  protected TableDefinition createEmpty(Path dir, String name) {
    return FunctionTable.builder(name, options -> Frame.fromRows(ROWS).filter(col("id").lt(0L))).build();
  }
}
