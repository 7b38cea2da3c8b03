package io.neuralake.filter;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The filter operators of the catalog API, with the spellings users write. */
public enum Operator {
  EQ("="),
  NE("!="),
  LT("<"),
  LE("<="),
  GT(">"),
  GE(">="),
  IN("in"),
  NOT_IN("not in"),
  /** Substring match on a string column. */
  CONTAINS("contains"),
  /** A list column holds the value. */
  INCLUDES("includes"),
  /** A list column holds at least one of the values. */
  INCLUDES_ANY("includes any"),
  /** A list column holds every one of the values. */
  INCLUDES_ALL("includes all");

  private final String symbol;

  Operator(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  /** Whether the operator takes a list of values rather than one. */
  public boolean takesList() {
    return this == IN || this == NOT_IN || this == INCLUDES_ANY || this == INCLUDES_ALL;
  }

  /** Whether the operator applies to a list-typed column. */
  public boolean needsListColumn() {
    return this == INCLUDES || this == INCLUDES_ANY || this == INCLUDES_ALL;
  }

  /** The operator with its sides swapped: {@code 5 < x} is {@code x > 5}. */
  public Operator mirrored() {
    return switch (this) {
      case LT -> GT;
      case LE -> GE;
      case GT -> LT;
      case GE -> LE;
      default -> this;
    };
  }

  /**
   * Parses an operator as written in code or on the command line. {@code ==} and {@code <>} are
   * accepted as the seed's and SQL's spellings of {@code =} and {@code !=}.
   */
  public static Operator parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    return switch (s) {
      case "=", "==", "eq" -> EQ;
      case "!=", "<>", "ne" -> NE;
      case "<", "lt" -> LT;
      case "<=", "le" -> LE;
      case ">", "gt" -> GT;
      case ">=", "ge" -> GE;
      case "in" -> IN;
      case "not in", "not_in" -> NOT_IN;
      case "contains" -> CONTAINS;
      case "includes" -> INCLUDES;
      case "includes any", "includes_any" -> INCLUDES_ANY;
      case "includes all", "includes_all" -> INCLUDES_ALL;
      default -> throw new NeuralakeException(ErrorCode.INVALID_FILTER,
          "unknown filter operator '" + text + "'; valid operators are: "
          + Arrays.stream(values()).map(o -> "'" + o.symbol + "'").collect(Collectors.joining(", ")));
    };
  }

  @Override
  public String toString() {
    return symbol;
  }
}
