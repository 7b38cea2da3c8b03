package io.neuralake.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Write and vacuum options refuse values that would be silently bent (negative, zero, overflowing), naming the option. */
class DeltaOptionsTest {

  @Test
  void writeOptionsNameTheBadOption() {
    assertThatThrownBy(() -> WriteOptions.builder().maxLatency(Duration.ofMillis(-1)).build())
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("maxLatency").hasMessageContaining("PT-0.001S");
    assertThatThrownBy(() -> WriteOptions.builder().maxLatency(Duration.ofDays(365L * 1000)).build())
        .hasMessageContaining("maxLatency");
    assertThatThrownBy(() -> WriteOptions.builder().targetFileBytes(0).build())
        .hasMessageContaining("targetFileBytes").hasMessageContaining("got 0");
    assertThatThrownBy(() -> WriteOptions.builder().maxRows(-5).build()).hasMessageContaining("maxRows").hasMessageContaining("-5");
    assertThatThrownBy(() -> WriteOptions.builder().maxCommitAttempts(0).build()).hasMessageContaining("maxCommitAttempts");
    assertThatThrownBy(() -> WriteOptions.builder().logCompactionInterval(-1).build())
        .hasMessageContaining("logCompactionInterval");
    assertThat(WriteOptions.builder().maxLatency(Duration.ZERO).build().maxLatency()).as("commit every append at once")
        .isZero();
    assertThatThrownBy(() -> WriteOptions.builder().hostCommitLock(true).hostCommitLockWait(Duration.ofMillis(-1)).build())
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("hostCommitLockWait").hasMessageContaining("PT-0.001S");
    assertThatThrownBy(() -> WriteOptions.builder().hostCommitLockWait(Duration.ofDays(1)).build())
        .hasMessageContaining("hostCommitLockWait");
    WriteOptions locked = WriteOptions.builder().hostCommitLock(true).build();
    assertThat(locked.hostCommitLock()).isTrue();
    assertThat(locked.hostCommitLockWait()).as("a bounded wait by default").isEqualTo(Duration.ofSeconds(30));
    assertThat(WriteOptions.defaults().hostCommitLock()).as("off unless asked for").isFalse();
  }

  @Test
  void vacuumOptionsRefuseANegativeRetention() {
    assertThatThrownBy(() -> VacuumOptions.builder().retention(Duration.ofSeconds(-1)).build())
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("must not be negative");
    assertThat(VacuumOptions.defaults().retention()).as("the table's own").isEmpty();
    assertThat(VacuumOptions.defaults().retentionCheck()).isTrue();
  }
}
