package io.neuralake.catalog;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filter;
import io.neuralake.frame.Frame;
import io.neuralake.table.FunctionTable;
import io.neuralake.table.ReadOptions;
import io.neuralake.table.TableDefinition;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Reads what a database class declares: public static table fields, {@link Table} methods, and
 * public static {@link DynamicDatabase} fields whose tables are listed at run time.
 */
final class DatabaseClass {
  private DatabaseClass() {}

  /** The declared tables, and the databases listing more of them. */
  record Declared(List<TableDefinition> tables, List<DynamicDatabase> listed) {}

  static Declared of(Class<?> type) {
    List<TableDefinition> out = new ArrayList<>();
    List<DynamicDatabase> listed = new ArrayList<>();
    Field[] fields = type.getFields();
    // declaration order is not guaranteed by reflection; name order is at least stable
    Arrays.sort(fields, Comparator.comparing(Field::getName));
    for (Field f : fields) {
      if (!Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      if (TableDefinition.class.isAssignableFrom(f.getType())) {
        out.add(value(type, f, TableDefinition.class));
      } else if (DynamicDatabase.class.isAssignableFrom(f.getType())) {
        listed.add(value(type, f, DynamicDatabase.class));
      }
    }
    Method[] methods = type.getMethods();
    Arrays.sort(methods, Comparator.comparing(Method::getName));
    for (Method m : methods) {
      Table annotation = m.getAnnotation(Table.class);
      if (annotation != null) {
        out.add(functionTable(type, m, annotation));
      }
    }
    if (out.isEmpty() && listed.isEmpty()) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
          "class " + type.getName() + " declares no tables: add public static table"
          + " fields (ParquetTable, DeltaTable, ...), public static @Table methods returning a Frame,"
          + " or a public static field listing tables at run time (a DynamicDatabase such as JdbcDatabase)");
    }
    return new Declared(List.copyOf(out), List.copyOf(listed));
  }

  private static <T> T value(Class<?> type, Field f, Class<T> kind) {
    try {
      Object v = f.get(null);
      if (v == null) {
        throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
            type.getName() + "." + f.getName() + " is null; assign it a " + (kind == TableDefinition.class ? "table"
                : "database"));
      }
      return kind.cast(v);
    } catch (IllegalAccessException e) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
          "cannot read " + type.getName() + "." + f.getName() + ": " + e.getMessage(), e);
    }
  }

  private static FunctionTable functionTable(Class<?> type, Method m, Table a) {
    String where = type.getName() + "." + m.getName() + "()";
    if (!Modifier.isStatic(m.getModifiers())) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
          where + " is a @Table method but not static; make it public static");
    }
    if (!Frame.class.isAssignableFrom(m.getReturnType())) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
          where + " is a @Table method but returns " + m.getReturnType().getSimpleName()
          + "; it must return a Frame");
    }
    List<Class<?>> params = List.of(m.getParameterTypes());
    boolean takesOptions = params.contains(ReadOptions.class);
    boolean takesCatalog = params.contains(Catalog.class);
    if (params.size() != (takesOptions ? 1 : 0) + (takesCatalog ? 1 : 0)) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION, where + " is a @Table method; it may take a Catalog (the one it is in), a"
          + " ReadOptions (the read's filters and columns), both, or nothing");
    }
    String name = a.name().isEmpty() ? m.getName() : a.name();
    FunctionTable.Builder b;
    if (takesCatalog) {
      b = FunctionTable.builder(name, (Catalog catalog, ReadOptions options) ->
          invoke(m, where, params.stream().map(p -> p == Catalog.class ? catalog : options).toArray()));
    } else if (takesOptions) {
      b = FunctionTable.builder(name, (ReadOptions o) -> invoke(m, where, o));
    } else {
      b = FunctionTable.builder(name, () -> invoke(m, where));
    }
    b.description(a.description()).dataInput(a.dataInput()).latencyInfo(a.latencyInfo())
        .exampleNotebook(a.exampleNotebook());
    if (!a.deprecated().isEmpty()) {
      b.deprecated(a.deprecated());
    }
    b.docsFilters(Arrays.stream(a.docsFilters()).map(Filter::parse).toArray(Filter[]::new));
    b.docsColumns(a.docsColumns());
    return b.build();
  }

  private static Frame invoke(Method m, String where, Object... args) {
    try {
      return (Frame) m.invoke(null, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw NeuralakeException.of(where + " failed: " + cause, cause);
    } catch (IllegalAccessException e) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION, "cannot call " + where + ": " + e.getMessage(), e);
    }
  }
}
