package io.neuralake.delta.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuralake.storage.Location;
import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a table's {@code _delta_log/_last_checkpoint} before Kernel parses it. The file is only a
 * hint (where the latest checkpoint is); when it is unreadable, Kernel retries three times a second
 * apart, logging a stack trace each time, and then lists the log. Reported as absent instead, Kernel
 * lists the log at once, and one line here says why.
 */
final class LastCheckpointFile {
  private static final Logger LOG = LoggerFactory.getLogger(LastCheckpointFile.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private LastCheckpointFile() {}

  static boolean is(Location l) {
    return l.name().equals("_last_checkpoint");
  }

  /** The file's bytes if Kernel can use them; else one warning, and "absent". */
  static byte[] checked(Location l, byte[] bytes) throws FileNotFoundException {
    String problem = problem(new String(bytes, StandardCharsets.UTF_8).strip());
    if (problem == null) {
      return bytes;
    }
    LOG.warn("Delta table at {}: _delta_log/_last_checkpoint is unreadable ({}); listing the log instead"
        + " (the next checkpoint rewrites it)", l.toString().replaceFirst("/?_delta_log/_last_checkpoint$", ""), problem);
    throw new FileNotFoundException(l + " is unreadable: " + problem);
  }

  /** What is wrong with the text, or null: Kernel needs one JSON object on one line, with integer version and size. */
  private static String problem(String text) {
    if (text.isEmpty()) {
      return "it is empty";
    }
    if (text.contains("\n")) {
      return "it has more than one line";
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JacksonException e) {
      return "not JSON: " + e.getOriginalMessage();
    }
    if (!node.isObject()) {
      return "not a JSON object";
    }
    for (String field : new String[] {"version", "size"}) {
      if (!node.path(field).isIntegralNumber() || !node.path(field).canConvertToLong()) {
        return "'" + field + "' is not a whole number";
      }
    }
    return null;
  }
}
