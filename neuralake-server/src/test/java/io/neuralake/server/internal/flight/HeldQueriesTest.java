package io.neuralake.server.internal.flight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.query.Query;
import io.neuralake.server.ServerFixture;
import io.neuralake.server.internal.Principal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queries held between GetFlightInfo and DoGet: handed to their user once, let go when old or too many. */
class HeldQueriesTest {
  static final Duration HOLD = Duration.ofSeconds(30);
  static final Principal ADA = new Principal("ada", Optional.empty());
  static final Principal BOB = new Principal("bob", Optional.of(Set.of("bci")));

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
    return lake.catalog.prepare("SELECT count(*) AS n FROM tpch.part");
  }

  private static boolean isClosed(Query q) {
    try {
      q.schema();
      return false;
    } catch (NeuralakeException e) {
      return true;
    }
  }

  @Test
  void aHeldQueryIsHandedToItsUserOnce() {
    try (HeldQueries held = new HeldQueries(4, 4, HOLD, new FlightAuthTest.Manual())) {
      Query q = planned();
      String id = held.hold(ADA, q).orElseThrow();
      assertThatThrownBy(() -> held.take(id, BOB)).isInstanceOfSatisfying(NeuralakeException.class, e ->
          assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
      assertThat(held.take(id, ADA)).containsSame(q);
      assertThat(held.take(id, ADA)).isEmpty();
      assertThat(held.take("no-such-id", ADA)).isEmpty();
      assertThat(isClosed(q)).isFalse();
      q.close();
    }
  }

  @Test
  void aQueryNotFetchedInTimeIsClosed() {
    FlightAuthTest.Manual clock = new FlightAuthTest.Manual();
    try (HeldQueries held = new HeldQueries(4, 4, HOLD, clock)) {
      Query late = planned();
      String lateId = held.hold(ADA, late).orElseThrow();
      Query swept = planned();
      held.hold(ADA, swept);
      clock.now = clock.now.plus(HOLD);
      assertThat(held.take(lateId, ADA)).isEmpty();
      assertThat(isClosed(late)).isTrue();
      held.expire();
      assertThat(held.size()).isZero();
      assertThat(isClosed(swept)).isTrue();
    }
  }

  @Test
  void beyondItsBoundsTheOldestGoesFirstAUsersOwnBeforeOthers() {
    try (HeldQueries held = new HeldQueries(3, 2, HOLD, new FlightAuthTest.Manual())) {
      Query bob = planned();
      held.hold(BOB, bob);
      Query ada1 = planned();
      held.hold(ADA, ada1);
      Query ada2 = planned();
      String ada2Id = held.hold(ADA, ada2).orElseThrow();
      Query ada3 = planned();
      held.hold(ADA, ada3); // ada's own oldest goes, not bob's older one
      assertThat(isClosed(ada1)).isTrue();
      assertThat(isClosed(bob)).isFalse();
      Query bob2 = planned();
      held.hold(BOB, bob2); // three held already: the oldest of all goes
      assertThat(isClosed(bob)).isTrue();
      assertThat(held.size()).isEqualTo(3);
      assertThat(held.take(ada2Id, ADA)).containsSame(ada2);
      ada2.close();
    }
    // closing lets every held query go
  }

  @Test
  void closingLetsEveryHeldQueryGoAndClosesLaterOnes() {
    HeldQueries held = new HeldQueries(4, 4, HOLD, new FlightAuthTest.Manual());
    Query q = planned();
    held.hold(ADA, q);
    held.close();
    assertThat(isClosed(q)).isTrue();
    Query after = planned();
    assertThat(held.hold(ADA, after)).isEmpty();
    assertThat(isClosed(after)).isTrue();
  }
}
