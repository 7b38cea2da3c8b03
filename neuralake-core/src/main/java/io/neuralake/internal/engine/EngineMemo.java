package io.neuralake.internal.engine;

import io.neuralake.internal.BoundedMaps;
import io.neuralake.table.ScanPlan;
import io.neuralake.types.Schema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an engine remembers between queries so that a warm query asks it only to run: the parse
 * trees of SQL texts and the texts of rewritten trees (both pure functions of their input), and the
 * columns the engine reads from a set of file versions. One per engine, so per runtime; bounded.
 */
public final class EngineMemo {
  /** Texts longer than this are not remembered: a cache entry should cost far less than a query. */
  static final int MAX_TEXT = 64 * 1024;
  private static final int ENTRIES = 512;

  private final Map<String, String> parseTrees = BoundedMaps.leastRecentlyUsed(ENTRIES);
  private final Map<String, String> unparsed = BoundedMaps.leastRecentlyUsed(ENTRIES);
  private final Map<FileColumnsKey, Schema> fileColumns = BoundedMaps.leastRecentlyUsed(ENTRIES);

  /**
   * The columns the engine reads from files: a version of a file is its location, size and ETag
   * (for local files, size, modification time and file identity), so a file rewritten is a new key.
   */
  private record FileColumnsKey(String sql, List<FileVersion> files) {}

  private record FileVersion(String location, long size, Optional<String> etag) {}

  /** The engine's parse tree of {@code sql} (JSON), computed by {@code parse} the first time. */
  String parseTree(String sql, Function<String, String> parse) {
    return rememberedText(parseTrees, sql, parse);
  }

  /** The SQL text of a parse tree (JSON), computed by {@code unparse} the first time. */
  String unparse(String tree, Function<String, String> unparse) {
    return rememberedText(unparsed, tree, unparse);
  }

  /** The columns {@code sql} reads from the plan's files, described by {@code describe} the first time. */
  Schema fileColumns(String sql, ScanPlan.Files plan, Function<String, Schema> describe) {
    if (sql.length() > MAX_TEXT) {
      return describe.apply(sql);
    }
    FileColumnsKey key = new FileColumnsKey(sql, plan.files().stream()
        .map(f -> new FileVersion(f.location().toString(), f.size(), f.etag())).toList());
    return remembered(fileColumns, key, k -> describe.apply(sql));
  }

  private static String rememberedText(Map<String, String> map, String text, Function<String, String> compute) {
    return text.length() > MAX_TEXT ? compute.apply(text) : remembered(map, text, compute);
  }

  private static <K, V> V remembered(Map<K, V> map, K key, Function<? super K, V> compute) {
    V known = map.get(key);
    if (known == null) {
      // computed outside the map's lock: two threads may both compute, and agree
      known = compute.apply(key);
      map.put(key, known);
    }
    return known;
  }
}
