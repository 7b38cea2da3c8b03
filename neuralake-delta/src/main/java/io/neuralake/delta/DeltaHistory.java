package io.neuralake.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.storage.ObjectStore;
import io.neuralake.table.LakeContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/** What each commit of a Delta table did, read from the commit files still in its log. */
public final class DeltaHistory {
  private static final Pattern COMMIT = Pattern.compile("\\d{20}\\.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeltaHistory() {}

  public static List<Commit> of(DeltaTable table, LakeContext context) throws IOException {
    Location log = context.resolve(table.location()).asFolder().resolve("_delta_log/");
    ObjectStore store = context.storeFor(log);
    List<Commit> out = new ArrayList<>();
    for (ObjectInfo o : store.listLevel(log).objects()) {
      if (!COMMIT.matcher(o.location().name()).matches()) {
        continue;
      }
      long version = Long.parseLong(o.location().name().substring(0, 20));
      String operation = "";
      Instant timestamp = o.lastModified();
      int added = 0;
      int removed = 0;
      long statsRows = 0;
      boolean statsComplete = true;
      OptionalLong metricRows = OptionalLong.empty();
      for (String line : new String(store.get(o.location()), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode action = JSON.readTree(line);
        if (action.has("commitInfo")) {
          JsonNode ci = action.get("commitInfo");
          operation = ci.path("operation").asText("");
          if (ci.has("timestamp")) {
            timestamp = Instant.ofEpochMilli(ci.get("timestamp").asLong());
          }
          JsonNode rows = ci.path("operationMetrics").path("numOutputRows");
          if (!rows.isMissingNode()) {
            metricRows = OptionalLong.of(rows.asLong());
          }
        } else if (action.has("add")) {
          added++;
          String stats = action.get("add").path("stats").asText("");
          JsonNode n = stats.isEmpty() ? null : JSON.readTree(stats).get("numRecords");
          if (n == null) {
            statsComplete = false;
          } else {
            statsRows += n.asLong();
          }
        } else if (action.has("remove")) {
          removed++;
        }
      }
      OptionalLong rows = metricRows.isPresent() ? metricRows
          : (added > 0 && statsComplete ? OptionalLong.of(statsRows) : OptionalLong.empty());
      out.add(new Commit(version, timestamp, operation, added, removed, rows));
    }
    return out;
  }
}
