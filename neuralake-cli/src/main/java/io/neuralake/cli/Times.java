package io.neuralake.cli;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Points in time as people type them on the command line; without a zone, UTC. */
final class Times {
  private Times() {}

  static Instant parseInstant(String text) {
    String t = text.trim().replace(' ', 'T');
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      // not an instant with a zone; try the other spellings
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      // no offset
    }
    try {
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // no time
    }
    try {
      return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
          "'" + text + "' is not a time; write e.g. 2024-04-28T12:00:00Z,"
          + " 2024-04-28 12:00:00 (UTC) or 2024-04-28");
    }
  }
}
