package io.neuralake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The CLI's logging configuration lets `neuralake serve` log each request while the rest of Neuralake stays quiet. */
class ServeLoggingTest {
  @Test
  void requestLinesAreLoggedAndTheRestStaysAtWarnings() {
    Logger requests = (Logger) LoggerFactory.getLogger("io.neuralake.server.requests");
    assertThat(requests.isInfoEnabled()).isTrue();
    assertThat(requests.isDebugEnabled()).isFalse();
    // to the console's stderr, through the root logger
    assertThat(requests.isAdditive()).isTrue();
    assertThat(((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).getAppender("STDERR")).isNotNull();
    assertThat(((Logger) LoggerFactory.getLogger("io.neuralake.server.NeuralakeServer")).isInfoEnabled()).isFalse();
    assertThat(((Logger) LoggerFactory.getLogger("io.neuralake.catalog")).isInfoEnabled()).isFalse();
  }
}
