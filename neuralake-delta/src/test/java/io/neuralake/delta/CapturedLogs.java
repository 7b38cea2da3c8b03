package io.neuralake.delta;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * What Delta Kernel and Neuralake log while open, as a user sees it at the default level (warn):
 * SLF4J writes to Log4j 2 in this module's tests (Spark brings the binding).
 */
final class CapturedLogs implements AutoCloseable {
  private final List<LogEvent> events = new CopyOnWriteArrayList<>();
  private final AbstractAppender appender = new AbstractAppender("captured", null, null, true, Property.EMPTY_ARRAY) {
    @Override
    public void append(LogEvent event) {
      if (event.getLoggerName().startsWith("io.delta") || event.getLoggerName().startsWith("io.neuralake")) {
        events.add(event.toImmutable());
      }
    }
  };

  CapturedLogs() {
    appender.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().addAppender(appender, Level.WARN, null);
    context.updateLoggers();
  }

  /** Each event as one printed line would start: level, logger, message, and whether a stack trace follows. */
  List<String> lines() {
    return events.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " - " + e.getMessage().getFormattedMessage()
        + (e.getThrown() == null ? "" : " [stack trace: " + e.getThrown() + "]")).toList();
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender("captured");
    context.updateLoggers();
    appender.stop();
  }
}
