package io.neuralake.delta.internal.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.internal.TableConfig;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.delta.DeltaTable;
import io.neuralake.delta.VacuumOptions;
import io.neuralake.delta.VacuumResult;
import io.neuralake.delta.internal.KernelEngines;
import io.neuralake.filter.Filters;
import io.neuralake.storage.Location;
import io.neuralake.storage.ObjectInfo;
import io.neuralake.storage.ObjectStore;
import io.neuralake.table.LakeContext;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vacuum: deletes the data files (and deletion-vector files) of a table that no version a reader
 * may still ask for needs. What stays:
 * <ul>
 *   <li>files of the latest version;
 *   <li>files removed less than the retention ago (older versions read them);
 *   <li>files no commit references (a writer still running may be about to commit them) until they
 *       are older than both the retention and {@link VacuumOptions#UNCOMMITTED_FILE_MIN_AGE}.
 * </ul>
 * A retention below the table's {@code delta.deletedFileRetentionDuration} is refused unless the
 * check is turned off, as in Delta for Spark.
 */
public final class DeltaVacuum {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaVacuum.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String RETENTION_PROPERTY = TableConfig.TOMBSTONE_RETENTION.getKey();

  private DeltaVacuum() {}

  /**
   * What the log's commits say about the table's files: which any commit names, which were removed
   * inside the window; and the first commit still in the log with its time (clean-up deletes
   * commits a checkpoint covers), if the log no longer starts at version 0.
   */
  private record LogFiles(Set<String> referenced, Set<String> removedInWindow, Optional<ObjectInfo> firstKeptCommit) {}

  /** {@code progress} is told of each file deleted (or, in a dry run, found deletable). */
  public static VacuumResult vacuum(DeltaTable table, LakeContext context, VacuumOptions options, LongConsumer progress)
      throws IOException {
    Engine engine = KernelEngines.of(context);
    String path = DeltaWrites.path(table, context);
    Snapshot snapshot;
    try {
      snapshot = Table.forPath(engine, path).getLatestSnapshot(engine);
    } catch (TableNotFoundException e) {
      throw new NeuralakeException(ErrorCode.TABLE_NOT_FOUND, "table '" + table.name() + "': no Delta table at " + path
          + " to vacuum; check the location, or create the table (DeltaTable.create())", e);
    }
    Duration floor = tableRetention(table, snapshot);
    Duration retention = options.retention().orElse(floor);
    if (options.retentionCheck() && retention.compareTo(floor) < 0) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "table '" + table.name() + "': a vacuum retention of " + describe(retention)
          + " is below the table's " + RETENTION_PROPERTY + " (" + setting(snapshot) + " = " + describe(floor)
          + "); files removed since then may still be read by older versions (time travel) and by readers of them."
          + " Give a retention of at least " + describe(floor) + ", lower the table property, or, if no reader needs"
          + " older versions, turn the check off (VacuumOptions.builder().retentionCheck(false);"
          + " neuralake vacuum --force)");
    }
    long now = System.currentTimeMillis();
    long removedCutoff = now - retention.toMillis();
    long uncommittedCutoff = now - max(retention, VacuumOptions.UNCOMMITTED_FILE_MIN_AGE).toMillis();

    Location root = context.resolve(table.location()).asFolder();
    ObjectStore store = context.storeFor(root);
    Set<String> keep = new HashSet<>();
    for (DeltaMaintenance.LiveFile f : DeltaMaintenance.liveFiles(engine, snapshot, table, Filters.none(), path)) {
      keep.add(Location.parse(f.status().getPath()).toString());
      deletionVectorFile(new AddFile(f.addRow()).getDeletionVector(), path).ifPresent(keep::add);
    }
    LogFiles log = readLog(store, root, path, removedCutoff);
    refuseIfTombstonesMayBeOnlyInACheckpoint(table, log, removedCutoff);
    keep.addAll(log.removedInWindow());

    List<String> deleted = new ArrayList<>();
    long bytes = 0;
    int youngUncommitted = 0;
    for (ObjectInfo o : store.list(root)) {
      String relative = root.relativize(o.location());
      String name = o.location().toString();
      if (relative == null || isHidden(relative) || keep.contains(name)) {
        continue;
      }
      boolean committed = log.referenced().contains(name);
      if (o.lastModified() == null && !committed) {
        continue; // age unknown: it may be a writer's file about to be committed
      }
      long modified = o.lastModified() == null ? 0 : o.lastModified().toEpochMilli();
      if (modified >= (committed ? removedCutoff : uncommittedCutoff)) {
        youngUncommitted += committed ? 0 : 1;
        continue;
      }
      deleted.add(name);
      bytes += o.size();
      if (!options.dryRun()) {
        store.delete(o.location());
      }
      progress.accept(1);
    }
    LOG.info("table {}: vacuum with retention {} {} {} files ({} bytes); kept {} files no commit references yet",
        table.name(), describe(retention), options.dryRun() ? "would delete" : "deleted", deleted.size(), bytes,
        youngUncommitted);
    return new VacuumResult(deleted, bytes, options.dryRun());
  }

  /**
   * Removes of commits the log has cleaned up live only in the checkpoint, which vacuum does not
   * read: if such a commit may fall inside the window, a file removed there would look like one no
   * commit names. Delta's defaults (log kept 30 days, files 7) never get here.
   */
  private static void refuseIfTombstonesMayBeOnlyInACheckpoint(DeltaTable table, LogFiles log, long removedCutoff) {
    Optional<ObjectInfo> first = log.firstKeptCommit();
    if (first.isEmpty() || first.get().lastModified() == null || first.get().lastModified().toEpochMilli() <= removedCutoff) {
      return;
    }
    throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "table '" + table.name() + "': the log's first commit is "
        + first.get().location().name() + ", written " + first.get().lastModified() + ", inside the vacuum's retention"
        + " window: earlier commits were cleaned up, and files they removed inside the window are known only to the"
        + " checkpoint, which vacuum does not read. Vacuum with a retention reaching back before that commit, or keep"
        + " the log longer than the files (delta.logRetentionDuration above delta.deletedFileRetentionDuration, as by"
        + " default)");
  }

  /** The table's {@code delta.deletedFileRetentionDuration}, in Delta's interval syntax ("interval 7 days"). */
  private static Duration tableRetention(DeltaTable table, Snapshot snapshot) {
    try {
      return Duration.ofMillis(TableConfig.TOMBSTONE_RETENTION.fromMetadata(snapshot.getTableProperties()));
    } catch (RuntimeException e) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "table '" + table.name() + "': its " + RETENTION_PROPERTY + " '"
          + snapshot.getTableProperties().get(RETENTION_PROPERTY) + "' is not a valid interval (" + e.getMessage()
          + "); write it as e.g. 'interval 7 days'", e);
    }
  }

  private static String setting(Snapshot snapshot) {
    String raw = snapshot.getTableProperties().get(RETENTION_PROPERTY);
    return raw == null ? "not set, so the default" : "'" + raw + "'";
  }

  /** Hours (and days) when whole, as people give retentions; otherwise ISO-8601. */
  static String describe(Duration d) {
    if (d.toMillis() % Duration.ofHours(1).toMillis() != 0) {
      return d.toMinutes() * 60_000 == d.toMillis() ? d.toMinutes() + " minutes" : d.toString();
    }
    long hours = d.toHours();
    return hours + (hours == 1 ? " hour" : " hours") + (hours >= 24 && hours % 24 == 0 ? " (" + hours / 24 + " days)" : "");
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /**
   * Every file the log's commits name (data files and on-disk deletion vectors), and those of
   * them removed at or after {@code cutoff}.
   */
  private static LogFiles readLog(ObjectStore store, Location root, String tablePath, long cutoff) throws IOException {
    Set<String> referenced = new HashSet<>();
    Set<String> removedInWindow = new HashSet<>();
    ObjectInfo first = null;
    for (ObjectInfo entry : store.listLevel(root.resolve("_delta_log/")).objects()) {
      if (!entry.location().name().matches("\\d{20}\\.json")) {
        continue;
      }
      if (first == null || entry.location().name().compareTo(first.location().name()) < 0) {
        first = entry;
      }
      for (String line : new String(store.get(entry.location()), StandardCharsets.UTF_8).split("\n")) {
        if (!line.contains("\"add\"") && !line.contains("\"remove\"")) {
          continue;
        }
        JsonNode action = JSON.readTree(line);
        boolean remove = action.has("remove");
        JsonNode file = remove ? action.path("remove") : action.path("add");
        if (file.isMissingNode() || !file.hasNonNull("path")) {
          continue;
        }
        List<String> names = new ArrayList<>();
        names.add(dataFile(root, file.path("path").asText()));
        deletionVectorFile(deletionVector(file.path("deletionVector")), tablePath).ifPresent(names::add);
        referenced.addAll(names);
        if (remove && file.path("deletionTimestamp").asLong(0) >= cutoff) {
          removedInWindow.addAll(names);
        }
      }
    }
    boolean cleanedUp = first != null && !first.location().name().equals("00000000000000000000.json");
    return new LogFiles(referenced, removedInWindow, cleanedUp ? Optional.of(first) : Optional.empty());
  }

  /** A log path: relative to the table and URI-escaped ('+' is a plus, not a space), or absolute. */
  private static String dataFile(Location root, String logPath) {
    String decoded = URLDecoder.decode(logPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    return (logPath.matches("[a-zA-Z][a-zA-Z0-9+.-]*:/.*") ? Location.parse(decoded) : root.resolve(decoded)).toString();
  }

  private static Optional<DeletionVectorDescriptor> deletionVector(JsonNode dv) {
    if (dv.isMissingNode() || dv.isNull()) {
      return Optional.empty();
    }
    return Optional.of(new DeletionVectorDescriptor(dv.path("storageType").asText(), dv.path("pathOrInlineDv").asText(),
        dv.hasNonNull("offset") ? Optional.of(dv.path("offset").asInt()) : Optional.empty(),
        dv.path("sizeInBytes").asInt(), dv.path("cardinality").asLong()));
  }

  private static Optional<String> deletionVectorFile(Optional<DeletionVectorDescriptor> dv, String tablePath) {
    return dv.filter(DeletionVectorDescriptor::isOnDisk).map(d -> Location.parse(d.getAbsolutePath(tablePath)).toString());
  }

  /** Delta's own folders and files ({@code _delta_log/}, {@code _change_data/}, dot files) are not data files. */
  private static boolean isHidden(String relative) {
    for (String part : relative.split("/")) {
      if (part.startsWith("_") || part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
