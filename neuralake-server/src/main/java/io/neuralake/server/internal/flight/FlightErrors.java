package io.neuralake.server.internal.flight;

import io.neuralake.ErrorCode;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures as Flight statuses, chosen from the error's category (never its message), with the
 * message prefixed by the precise code ({@code TABLE_NOT_FOUND: ...}) so clients can match on it.
 */
final class FlightErrors {
  private static final Logger LOG = LoggerFactory.getLogger(FlightErrors.class);

  private FlightErrors() {}

  /** The Flight status of a failure; one that already is a Flight status passes as it is. */
  static FlightRuntimeException of(Throwable failure) {
    if (failure instanceof FlightRuntimeException f) {
      return f;
    }
    ErrorCode code = ErrorCode.of(failure);
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    if (code == ErrorCode.INTERNAL) {
      LOG.warn("internal error on the Flight SQL door", failure);
      message = "internal error (" + message + "); the server log has the details";
    }
    return status(code).withDescription(described(code, message)).withCause(failure).toRuntimeException();
  }

  /** The status a code maps to. */
  static CallStatus status(ErrorCode code) {
    if (code == ErrorCode.TIME_LIMIT) {
      return CallStatus.TIMED_OUT; // gRPC's DEADLINE_EXCEEDED
    }
    return switch (code.category()) {
      case BAD_INPUT, CONSTRAINT_VIOLATED -> CallStatus.INVALID_ARGUMENT;
      case NOT_FOUND -> CallStatus.NOT_FOUND;
      case CONFLICT -> CallStatus.ALREADY_EXISTS;
      case STORAGE -> CallStatus.UNAVAILABLE;
      case RESOURCE_LIMIT, OVERLOADED -> CallStatus.RESOURCE_EXHAUSTED;
      case UNAUTHENTICATED -> CallStatus.UNAUTHENTICATED;
      case FORBIDDEN -> CallStatus.UNAUTHORIZED; // gRPC's PERMISSION_DENIED
      case CANCELLED -> CallStatus.CANCELLED;
      case CORRUPT_DATA, INTERNAL -> CallStatus.INTERNAL;
    };
  }

  /** The message led by the precise code, unless the status already says it (clients print the status first). */
  private static String described(ErrorCode code, String message) {
    return code.name().equals(status(code).code().name()) ? message : code.name() + ": " + message;
  }
}
