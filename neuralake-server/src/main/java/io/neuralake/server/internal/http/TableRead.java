package io.neuralake.server.internal.http;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.filter.Filter;
import io.neuralake.filter.Operator;
import io.neuralake.frame.Expr;
import io.neuralake.frame.Frame;
import io.neuralake.frame.SortKey;
import io.neuralake.table.ReadOptions;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One read of one table as REST and GraphQL ask for it: typed filters (ANDed), columns, sort,
 * limit and page. The filters go on the table read itself, so partition columns prune partitions
 * and files exactly as the library's {@code db.table(name, filters)} does.
 */
final class TableRead {
  private final TableRef table;
  private final Schema schema;
  private final List<Filter> filters = new ArrayList<>();
  private final List<Expr> nullChecks = new ArrayList<>();
  private final List<String> columns = new ArrayList<>();
  private final List<SortKey> sort = new ArrayList<>();
  private OptionalLong limit = OptionalLong.empty();
  private OptionalLong page = OptionalLong.empty();

  TableRead(TableRef table) {
    this.table = table;
    this.schema = table.schema();
  }

  TableRef table() {
    return table;
  }

  /** The column of that name, or a not-found error listing the table's columns. */
  Field column(String name, String parameter) {
    return schema.find(name).orElseThrow(() -> new NeuralakeException(ErrorCode.COLUMN_NOT_FOUND, parameter
        + ": table " + table.qualified() + " has no column '" + name + "'; its columns are: "
        + String.join(", ", schema.names())));
  }

  /** {@code column op text}, the text typed by the column's type; NULL with = or != tests for nulls. */
  void filter(String columnName, Operator op, String text, String parameter) {
    Field column = column(columnName, parameter);
    if (FilterValues.isNull(text)) {
      switch (op) {
        case EQ -> nullChecks.add(Expr.col(column.name()).isNull());
        case NE -> nullChecks.add(Expr.col(column.name()).isNotNull());
        default -> throw new NeuralakeException(ErrorCode.INVALID_FILTER, parameter + ": NULL compares only with eq"
            + " or ne (is null / is not null)");
      }
      return;
    }
    Object value;
    if (op == Operator.IN) {
      filterIn(columnName, List.of(text.split(",", -1)), parameter);
      return;
    } else if (op == Operator.CONTAINS) {
      if (!column.type().equals(io.neuralake.types.DataType.STRING)) {
        throw new NeuralakeException(ErrorCode.INVALID_FILTER, parameter + ": 'contains' needs a string column, but '"
            + column.name() + "' is " + column.type().typeName() + "; use eq, lt, gt... instead");
      }
      value = text;
    } else {
      value = FilterValues.typed(table.qualified(), column, text, parameter);
    }
    filters.add(new Filter(column.name(), op, value));
  }

  /** {@code column in (texts...)}, each typed by the column's type. */
  void filterIn(String columnName, List<String> texts, String parameter) {
    Field column = column(columnName, parameter);
    List<Object> values = new ArrayList<>();
    for (String part : texts) {
      values.add(FilterValues.typed(table.qualified(), column, part, parameter));
    }
    filters.add(new Filter(column.name(), Operator.IN, values));
  }

  void columns(List<String> names, String parameter) {
    for (String n : names) {
      columns.add(column(n, parameter).name());
    }
  }

  void sort(String columnName, boolean descending, String parameter) {
    String name = column(columnName, parameter).name();
    sort.add(descending ? SortKey.desc(name) : SortKey.asc(name));
  }

  void limit(long n, String parameter) {
    if (n < 0) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, parameter + ": the limit must be 0 or more, not " + n);
    }
    limit = OptionalLong.of(n);
  }

  void page(long n, String parameter) {
    if (n < 1) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, parameter + ": pages count from 1, not " + n);
    }
    page = OptionalLong.of(n);
  }

  /** The read as a lazy frame: planned (and pruned) when prepared, nothing read before. */
  Frame frame() {
    if (page.isPresent() && limit.isEmpty()) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "page=" + page.getAsLong() + " needs limit=N, the page"
          + " size: page 2 with limit=100 is rows 101 to 200");
    }
    Frame f = table.catalog().db(table.db()).table(table.table(), ReadOptions.builder().filters(filters).build());
    for (Expr check : nullChecks) {
      f = f.filter(check);
    }
    if (!sort.isEmpty()) {
      f = f.sort(sort.toArray(SortKey[]::new));
    }
    if (limit.isPresent()) {
      long n = limit.getAsLong();
      long offset;
      try {
        offset = Math.multiplyExact(page.orElse(1) - 1, n);
      } catch (ArithmeticException e) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "page=" + page.getAsLong() + " with limit=" + n
            + " starts past the largest row number; ask for a smaller page or limit");
      }
      f = page.isPresent() ? f.slice(offset, n) : f.limit(n);
    }
    if (!columns.isEmpty()) {
      f = f.select(columns.toArray(String[]::new));
    }
    return f;
  }

  /** What the request log shows for this read. */
  String describe() {
    return "read " + table.qualified() + (filters.isEmpty() && nullChecks.isEmpty() ? ""
        : " where " + String.join(" and ", java.util.stream.Stream.concat(filters.stream().map(Filter::toString),
            nullChecks.stream().map(Expr::toString)).toList()))
        + (columns.isEmpty() ? "" : " columns " + String.join(",", columns))
        + (sort.isEmpty() ? "" : " sort " + sort.stream().map(k -> (k.descending() ? "-" : "") + k.expr()).toList())
        + (limit.isPresent() ? " limit " + limit.getAsLong() : "") + (page.isPresent() ? " page " + page.getAsLong() : "");
  }
}
