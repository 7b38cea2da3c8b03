package io.neuralake.delta.internal.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CommitBackoffTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void firstLossIsRetriedAtOnceThenTheBoundDoublesUpToTheCap() {
    CommitBackoff b = CommitBackoff.DEFAULT;
    assertThat(b.boundNanos(0)).isZero();
    assertThat(b.boundNanos(1)).as("a snapshot merely behind: rebase at once").isZero();
    assertThat(IntStream.rangeClosed(2, 8).mapToLong(b::boundNanos).toArray())
        .containsExactly(5 * MS, 10 * MS, 20 * MS, 40 * MS, 80 * MS, 160 * MS, 200 * MS);
    assertThat(b.boundNanos(9)).isEqualTo(200 * MS);
    assertThat(b.boundNanos(Integer.MAX_VALUE)).as("no overflow after many losses").isEqualTo(200 * MS);
  }

  @Test
  void delaysAreFullyJitteredWithinTheBound() {
    CommitBackoff b = new CommitBackoff(Duration.ofMillis(5), Duration.ofMillis(200));
    SplittableRandom random = new SplittableRandom(42);
    for (int losses = 2; losses < 12; losses++) {
      long bound = b.boundNanos(losses);
      long[] delays = new long[2_000];
      for (int i = 0; i < delays.length; i++) {
        delays[i] = b.delayNanos(losses, random);
        assertThat(delays[i]).isBetween(0L, bound);
      }
      long min = java.util.Arrays.stream(delays).min().orElseThrow();
      long max = java.util.Arrays.stream(delays).max().orElseThrow();
      double mean = java.util.Arrays.stream(delays).average().orElseThrow();
      // spread over the whole range (full jitter), not bunched at the bound
      assertThat(min).isLessThan(bound / 10);
      assertThat(max).isGreaterThan(bound * 9 / 10);
      assertThat(mean).isBetween(bound * 0.4, bound * 0.6);
    }
    assertThat(b.delayNanos(1, random)).isZero();
  }

  @Test
  void refusesABoundThatIsNotPositiveOrACapBelowIt() {
    assertThatThrownBy(() -> new CommitBackoff(Duration.ZERO, Duration.ofMillis(1)))
        .isInstanceOfSatisfying(NeuralakeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("base");
    assertThatThrownBy(() -> new CommitBackoff(Duration.ofMillis(10), Duration.ofMillis(5)))
        .isInstanceOf(NeuralakeException.class).hasMessageContaining("cap");
  }
}
