package io.neuralake.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.Database;
import io.neuralake.storage.Location;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.Partition;
import io.neuralake.table.PartitioningScheme;
import io.neuralake.table.TableDefinition;
import io.neuralake.types.DataType;
import io.neuralake.types.Field;
import io.neuralake.types.Schema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A ROAPI configuration ({@code roapi --config FILE}) for a catalog's file tables, for teams that
 * run ROAPI: each table becomes an entry of ROAPI's {@code tables:} list named
 * {@code database_table} (ROAPI has one namespace), with its resolved {@code uri},
 * {@code option: {format: parquet|delta}}, and for Parquet tables the file columns as
 * {@code schema} and Hive partition columns, typed, as {@code partition_columns}. Delta tables
 * need neither: ROAPI's Delta reader takes columns and partitions from the log. Tables ROAPI
 * cannot read (function tables, folders partitioned by bare values) are left out and named in
 * {@link Export#skipped()}.
 */
public final class RoapiExport {
  private RoapiExport() {}

  /**
   * The configuration as YAML, and the tables left out with why.
   *
   * @param yaml the file's text
   * @param skipped {@code db.table: reason}, one per table not in the file
   */
  public record Export(String yaml, List<String> skipped) {}

  /** The export of every table of the catalog (reads Parquet footers for tables that declare no schema). */
  public static Export of(Catalog catalog) {
    requireNonNull(catalog, "catalog");
    List<Map<String, Object>> tables = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Map<String, String> names = new LinkedHashMap<>();
    for (String db : catalog.dbs()) {
      Database d = catalog.db(db);
      for (String t : d.tables(true)) {
        TableDefinition def = d.definition(t);
        String qualified = db + "." + t;
        Optional<String> why = unsupported(def);
        if (why.isPresent()) {
          skipped.add(qualified + ": " + why.get());
          continue;
        }
        String name = db + "_" + t;
        String other = names.put(name, qualified);
        if (other != null) {
          throw new NeuralakeException(ErrorCode.INVALID_DEFINITION, "tables " + other + " and " + qualified
              + " would both be named " + name + " in ROAPI's single namespace; rename one of them");
        }
        tables.add(entry(catalog, def, name, qualified, skipped));
      }
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("tables", tables);
    try {
      String yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)).writeValueAsString(config);
      return new Export(yaml, List.copyOf(skipped));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing the ROAPI config: " + e.getMessage(), e);
    }
  }

  private static Optional<String> unsupported(TableDefinition def) {
    if (!Set.of("parquet", "delta").contains(def.kind()) || def.location().isEmpty()) {
      return Optional.of("a " + def.kind() + " table: ROAPI reads Parquet and Delta files only");
    }
    if (def instanceof ParquetTable p && !p.partitions().isEmpty()
        && p.scheme() != PartitioningScheme.HIVE) {
      return Optional.of("partitioned by bare folder values; ROAPI reads only Hive (column=value) folders");
    }
    return Optional.empty();
  }

  private static Map<String, Object> entry(Catalog catalog, TableDefinition def, String name, String qualified,
      List<String> notes) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("name", name);
    Location location = catalog.context().resolve(def.location());
    e.put("uri", location.isLocal() ? location.path().toAbsolutePath().normalize().toString() : location.toString());
    e.put("option", Map.of("format", def.kind()));
    if (def.kind().equals("parquet")) {
      List<Partition> partitions = def.partitions();
      Set<String> partitionNames = Set.copyOf(partitions.stream().map(Partition::column).toList());
      Schema schema;
      try {
        schema = def.schema(catalog.context());
      } catch (IOException | RuntimeException ex) {
        throw new NeuralakeException(ErrorCode.of(ex), "cannot read the columns of " + qualified + " for the ROAPI"
            + " config: " + ex.getMessage(), ex);
      }
      List<Map<String, Object>> columns = new ArrayList<>();
      for (Field f : schema.fields()) {
        if (partitionNames.contains(f.name())) {
          continue;
        }
        Optional<Object> type = arrowType(f.type());
        if (type.isEmpty()) {
          // ROAPI then infers the schema from the files, which is right too
          notes.add(qualified + ": schema left to ROAPI (column " + f.name() + " is " + f.type().typeName() + ")");
          columns = null;
          break;
        }
        columns.add(column(f.name(), type.get(), f.nullable()));
      }
      if (columns != null) {
        e.put("schema", Map.of("columns", columns));
      }
      if (!partitions.isEmpty()) {
        List<Map<String, Object>> typed = new ArrayList<>();
        for (Partition p : partitions) {
          typed.add(column(p.column(), arrowType(p.type()).orElseThrow(() -> new NeuralakeException(
              ErrorCode.INVALID_DEFINITION, "partition column " + p.column() + " of " + qualified + " is "
              + p.type().typeName() + ", which ROAPI cannot type; partition by a string, number, boolean or date")),
              true));
        }
        e.put("partition_columns", typed);
      }
    }
    return e;
  }

  private static Map<String, Object> column(String name, Object type, boolean nullable) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    c.put("data_type", type);
    c.put("nullable", nullable);
    return c;
  }

  /**
   * The type as ROAPI's config spells it: Arrow's {@code DataType} in serde's external tagging
   * ({@code Int64}, {@code Utf8}, {@code Timestamp: [Microsecond, UTC]}, {@code Decimal128: [p, s]}).
   * Nested and engine-only types have none.
   */
  static Optional<Object> arrowType(DataType type) {
    if (type instanceof DataType.Decimal d) {
      return Optional.of(Map.of("Decimal128", List.of(d.precision(), d.scale())));
    }
    if (!(type instanceof DataType.Primitive p)) {
      return Optional.empty();
    }
    return Optional.of(switch (p.kind()) {
      case BOOLEAN -> "Boolean";
      case INT8 -> "Int8";
      case INT16 -> "Int16";
      case INT32 -> "Int32";
      case INT64 -> "Int64";
      case UINT8 -> "UInt8";
      case UINT16 -> "UInt16";
      case UINT32 -> "UInt32";
      case UINT64 -> "UInt64";
      case FLOAT32 -> "Float32";
      case FLOAT64 -> "Float64";
      case STRING -> "Utf8";
      case BINARY -> "Binary";
      case DATE -> "Date32";
      case TIME -> Map.of("Time64", "Microsecond");
      case TIMESTAMP -> Map.of("Timestamp", Arrays.asList("Microsecond", null));
      case TIMESTAMP_TZ -> Map.of("Timestamp", List.of("Microsecond", "UTC"));
    });
  }
}
