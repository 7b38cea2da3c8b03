package io.neuralake.internal.engine;

import io.neuralake.engine.Engine;
import io.neuralake.frame.DataFrame;
import io.neuralake.internal.plan.PlanNode;
import io.neuralake.internal.plan.PlanPrinter;
import io.neuralake.types.Schema;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Runs plans: each call compiles the plan in a fresh session and executes it there. */
public final class Execution {
  private Execution() {}

  /** The plan prepared as a query: planned and compiled now, executed by each {@code open}. */
  public static PreparedQuery prepare(PlanNode plan) {
    return PreparedQuery.prepare(plan);
  }

  /** The plan's result in memory: its query opened without limits, drained. */
  public static DataFrame collect(PlanNode plan) {
    try (PreparedQuery q = PreparedQuery.prepare(plan)) {
      return q.collect();
    }
  }

  public static Schema schema(PlanNode plan) {
    try (Session s = Sessions.open(engineOf(plan))) {
      return s.describe(new SqlCompiler(s).compile(plan));
    }
  }

  public static void write(PlanNode plan, Path file, String format) {
    try (Session s = Sessions.open(engineOf(plan))) {
      SqlCompiler compiler = new SqlCompiler(s);
      String sql = compiler.compile(plan);
      InputGuard.refuseToOverwrite(file, compiler.filesRead());
      s.copyTo(ScanInputs.prepare(s, sql), file, format);
    }
  }

  /**
   * Fails if {@code file} is one of the files the plan reads: writing the result there would
   * replace a table's data with (part of) itself. For callers that write a result themselves.
   */
  public static void refuseToOverwriteInput(PlanNode plan, Path file) {
    try (Session s = Sessions.open(engineOf(plan))) {
      SqlCompiler compiler = new SqlCompiler(s);
      compiler.compile(plan);
      InputGuard.refuseToOverwrite(file, compiler.filesRead());
    }
  }

  /** Work in one session with the plan's compiled SQL (writers stage data this way). */
  public static <T> T withSession(PlanNode plan, java.util.function.BiFunction<Session, String, T> work) {
    try (Session s = Sessions.open(engineOf(plan))) {
      String sql = ScanInputs.prepare(s, new SqlCompiler(s).compile(plan));
      return work.apply(s, sql);
    }
  }

  public static String explain(PlanNode plan) {
    try (Session s = Sessions.open(engineOf(plan))) {
      SqlCompiler compiler = new SqlCompiler(s);
      String sql = compiler.compile(plan);
      StringBuilder sb = new StringBuilder("Plan:\n");
      PlanPrinter.tree(plan).lines().forEach(l -> sb.append("  ").append(l).append('\n'));
      sb.append("Scans (after pruning):\n");
      compiler.scanReports().forEach(r -> sb.append("  ").append(r).append('\n'));
      sb.append("SQL:\n  ").append(sql).append('\n');
      List<String> inputs = ScanInputs.describe(s);
      if (!inputs.isEmpty()) {
        sb.append("Scan inputs (made local when the query runs):\n");
        inputs.forEach(i -> sb.append("  ").append(i).append('\n'));
      }
      return sb.toString();
    }
  }

  /** The engine of the first catalog table in the plan, or the shared engine. */
  public static Engine engineOf(PlanNode plan) {
    return find(plan).orElseGet(Engine::shared);
  }

  private static Optional<Engine> find(PlanNode node) {
    if (node instanceof PlanNode.Scan s) {
      return Optional.of(s.context().engine());
    }
    if (node instanceof PlanNode.CatalogSql c) {
      return Optional.of(c.catalog().engine());
    }
    for (PlanNode child : PlanPrinter.childrenOf(node)) {
      Optional<Engine> e = find(child);
      if (e.isPresent()) {
        return e;
      }
    }
    return Optional.empty();
  }
}
