package io.neuralake.server.internal.flight;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.NeuralakeException;
import io.neuralake.query.Query;
import io.neuralake.server.ServerFixture;
import io.neuralake.server.internal.Principal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A prepare's plan serves the execution right after it, once, for its user only, and only while fresh. */
class PreparedPlansTest {
  static final String SQL = "SELECT count(*) AS n FROM tpch.part";
  static final Principal ADA = new Principal("ada", Optional.empty());
  static final Principal BOB = new Principal("bob", Optional.empty());

  @TempDir
  static Path dir;
  static ServerFixture lake;

  @BeforeAll
  static void create() {
    lake = ServerFixture.create(dir);
  }

  @AfterAll
  static void close() {
    lake.close();
  }

  private static Query planned() {
    return lake.catalog.prepare(SQL);
  }

  private static boolean isClosed(Query q) {
    try {
      q.schema();
      return false;
    } catch (NeuralakeException e) {
      return true;
    }
  }

  private static HeldQueries held(FlightAuthTest.Manual clock) {
    return new HeldQueries(8, 8, Duration.ofMinutes(10), clock);
  }

  @Test
  void theNextExecutionTakesThePlanOnceAndOnlyItsUser() {
    FlightAuthTest.Manual clock = new FlightAuthTest.Manual();
    try (HeldQueries held = held(clock)) {
      PreparedPlans plans = new PreparedPlans(held, clock);
      Query q = planned();
      plans.keep(ADA, SQL, q);
      assertThat(plans.take(BOB, SQL)).as("another user's statement is planned for them").isEmpty();
      assertThat(plans.take(ADA, "SELECT 1")).isEmpty();
      assertThat(plans.take(ADA, SQL)).containsSame(q);
      assertThat(plans.take(ADA, SQL)).as("a statement run again is planned again").isEmpty();
      assertThat(isClosed(q)).isFalse();
      q.close();
    }
  }

  @Test
  void aPlanOlderThanAMomentIsClosedNotUsed() {
    FlightAuthTest.Manual clock = new FlightAuthTest.Manual();
    try (HeldQueries held = held(clock)) {
      PreparedPlans plans = new PreparedPlans(held, clock);
      Query late = planned();
      plans.keep(ADA, SQL, late);
      clock.now = clock.now.plus(PreparedPlans.FRESH);
      assertThat(plans.take(ADA, SQL)).isEmpty();
      assertThat(isClosed(late)).isTrue();

      Query never = planned();
      plans.keep(ADA, SQL, never);
      clock.now = clock.now.plus(PreparedPlans.FRESH);
      Query other = planned();
      plans.keep(BOB, SQL, other);
      assertThat(isClosed(never)).as("a stale plan goes when the next is kept").isTrue();
      assertThat(plans.size()).isEqualTo(1);
      plans.drop(BOB, SQL);
      assertThat(isClosed(other)).as("closing the statement closes its plan").isTrue();
      assertThat(held.size()).isZero();
    }
  }

  @Test
  void preparingAgainReplacesThePlan() {
    FlightAuthTest.Manual clock = new FlightAuthTest.Manual();
    try (HeldQueries held = held(clock)) {
      PreparedPlans plans = new PreparedPlans(held, clock);
      Query first = planned();
      Query second = planned();
      plans.keep(ADA, SQL, first);
      plans.keep(ADA, SQL, second);
      assertThat(isClosed(first)).isTrue();
      assertThat(plans.take(ADA, SQL)).containsSame(second);
      second.close();
    }
  }
}
