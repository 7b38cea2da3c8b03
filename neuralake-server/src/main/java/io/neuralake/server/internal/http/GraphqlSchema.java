package io.neuralake.server.internal.http;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.Scalars;
import io.neuralake.catalog.Catalog;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The GraphQL schema of a catalog, in ROAPI's shape: one query field per table, named
 * {@code db_table}, with arguments {@code filter} ({@code {col: value}} or
 * {@code {col: {eq|ne|lt|lte|gt|gte|in|contains: value}}}), {@code sort}
 * ({@code [{field: "col", order: "desc"}]}), {@code limit} and {@code page}; its fields are the
 * table's columns. Columns whose names GraphQL cannot spell are left out.
 */
final class GraphqlSchema {
  private static final Pattern NAME = Pattern.compile("[_A-Za-z][_0-9A-Za-z]*");

  /** Filter values as written: text, a list of texts, or an object of operator to those. */
  static final GraphQLScalarType FILTER_VALUE = GraphQLScalarType.newScalar().name("FilterValue")
      .description("A value (typed by its column: numbers, booleans, ISO dates and timestamps, strings, NULL), a"
          + " list of values, or an object of operators (eq, ne, lt, lte, gt, gte, in, contains) to values.")
      .coercing(new Coercing<Object, Object>() {
        @Override
        public Object parseValue(Object input, GraphQLContext context, Locale locale) {
          return plain(input);
        }

        @Override
        public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
          return literal(input);
        }

        @Override
        public Object serialize(Object result, GraphQLContext context, Locale locale) {
          return result;
        }
      }).build();

  /** A cell of a column with no closer GraphQL type: whole numbers of 64 bits, decimals, dates, nested values. */
  static final GraphQLScalarType CELL = GraphQLScalarType.newScalar().name("Cell")
      .description("A column value: a number, a string (dates and times in ISO-8601), a list or an object.")
      .coercing(new Coercing<Object, Object>() {
        @Override
        public Object serialize(Object result, GraphQLContext context, Locale locale) {
          return result;
        }
      }).build();

  private GraphqlSchema() {}

  /** The name of a table's query field. */
  static String fieldName(String db, String table) {
    return db + "_" + table;
  }

  static boolean spellable(String name) {
    return NAME.matcher(name).matches();
  }

  /**
   * The schema of every table of the catalog whose name GraphQL can spell, each fetched by
   * {@code fetcher.apply(table)}.
   */
  static GraphQLSchema of(Catalog catalog, Function<TableRef, DataFetcher<?>> fetcher) {
    GraphQLInputObjectType sortKey = GraphQLInputObjectType.newInputObject().name("SortKey")
        .field(f -> f.name("field").type(GraphQLNonNull.nonNull(Scalars.GraphQLString)))
        .field(f -> f.name("order").type(Scalars.GraphQLString).description("asc (the default) or desc"))
        .build();
    GraphQLObjectType.Builder query = GraphQLObjectType.newObject().name("Query");
    int tables = 0;
    for (String db : catalog.dbs()) {
      for (String t : catalog.db(db).tables()) {
        String name = fieldName(db, t);
        if (!spellable(name)) {
          continue;
        }
        TableRef ref = TableRef.of(catalog, db, t);
        GraphQLObjectType.Builder row = GraphQLObjectType.newObject().name(name)
            .description(ref.definition().metadata().description());
        GraphQLInputObjectType.Builder filter = GraphQLInputObjectType.newInputObject().name(name + "_filter");
        int columns = 0;
        for (Field c : ref.schema().fields()) {
          if (!spellable(c.name())) {
            continue;
          }
          columns++;
          row.field(GraphQLFieldDefinition.newFieldDefinition().name(c.name()).type(outputType(c.type()))
              .description(c.description().isBlank() ? null : c.description()));
          filter.field(f -> f.name(c.name()).type(FILTER_VALUE));
        }
        if (columns == 0) {
          continue;
        }
        query.field(GraphQLFieldDefinition.newFieldDefinition().name(name)
            .description("Rows of " + ref.qualified() + ".")
            .type(GraphQLNonNull.nonNull(GraphQLList.list(GraphQLNonNull.nonNull(row.build()))))
            .argument(GraphQLArgument.newArgument().name("filter").type(filter.build()))
            .argument(GraphQLArgument.newArgument().name("sort").type(GraphQLList.list(GraphQLNonNull.nonNull(sortKey))))
            .argument(GraphQLArgument.newArgument().name("limit").type(Scalars.GraphQLInt))
            .argument(GraphQLArgument.newArgument().name("page").type(Scalars.GraphQLInt))
            .dataFetcher(fetcher.apply(ref)));
        tables++;
      }
    }
    if (tables == 0) {
      // a schema needs a query field; a caller with no tables sees this one
      query.field(GraphQLFieldDefinition.newFieldDefinition().name("_tables").type(Scalars.GraphQLInt)
          .dataFetcher(env -> 0));
    }
    return GraphQLSchema.newSchema().query(query.build()).additionalType(CELL).build();
  }

  private static GraphQLOutputType outputType(DataType type) {
    if (type.equals(DataType.BOOLEAN)) {
      return Scalars.GraphQLBoolean;
    }
    if (type.equals(DataType.STRING)) {
      return Scalars.GraphQLString;
    }
    if (type.equals(DataType.FLOAT32) || type.equals(DataType.FLOAT64)) {
      return Scalars.GraphQLFloat;
    }
    if (type.equals(DataType.INT8) || type.equals(DataType.INT16) || type.equals(DataType.INT32)
        || type.equals(DataType.UINT8) || type.equals(DataType.UINT16)) {
      return Scalars.GraphQLInt;
    }
    return CELL;
  }

  private static Object literal(Value<?> v) {
    return switch (v) {
      case StringValue s -> s.getValue();
      case IntValue i -> i.getValue().toString();
      case FloatValue f -> f.getValue().toPlainString();
      case BooleanValue b -> Boolean.toString(b.isValue());
      case NullValue n -> "NULL";
      case ArrayValue a -> {
        List<Object> out = new ArrayList<>();
        for (Value<?> e : a.getValues()) {
          Object x = literal(e);
          if (!(x instanceof String)) {
            throw new CoercingParseLiteralException("a list of filter values holds plain values only, not " + e);
          }
          out.add(x);
        }
        yield out;
      }
      case ObjectValue o -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ObjectField f : o.getObjectFields()) {
          Object x = literal(f.getValue());
          if (x instanceof Map) {
            throw new CoercingParseLiteralException("operator '" + f.getName() + "' takes a value or a list, not an"
                + " object");
          }
          out.put(f.getName(), x);
        }
        yield out;
      }
      default -> throw new CoercingParseLiteralException("a filter value cannot be " + v.getClass().getSimpleName()
          + " (variables are not filter values here: write the value)");
    };
  }

  /** A variable's value (from JSON) as {@link #literal} would give it. */
  private static Object plain(Object v) {
    return switch (v) {
      case null -> "NULL";
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
        yield out;
      }
      case List<?> l -> l.stream().map(GraphqlSchema::plain).toList();
      case java.math.BigDecimal d -> d.toPlainString();
      default -> v.toString();
    };
  }
}
