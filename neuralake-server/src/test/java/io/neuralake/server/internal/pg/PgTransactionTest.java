package io.neuralake.server.internal.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A session's transaction block as PostgreSQL keeps it: statuses, failed blocks, settings, savepoints. */
class PgTransactionTest {
  private final PgSession session = new PgSession("admin", "test", null, 1, 2);

  private String tag(String sql) {
    return session.handle(sql).orElseThrow().tag();
  }

  private String sqlState(String sql) {
    try {
      session.handle(sql);
    } catch (PgSession.Refused e) {
      return e.sqlState();
    }
    throw new AssertionError(sql + " was not refused");
  }

  @Test
  void aBlockIsOpenFromBeginToCommit() {
    assertThat(session.status()).isEqualTo('I');
    assertThat(tag("BEGIN")).isEqualTo("BEGIN");
    assertThat(session.status()).isEqualTo('T');
    assertThat(tag("COMMIT")).isEqualTo("COMMIT");
    assertThat(session.status()).isEqualTo('I');
    for (String begin : new String[] {"START TRANSACTION READ ONLY", "begin work;", "BEGIN ISOLATION LEVEL SERIALIZABLE"}) {
      assertThat(tag(begin)).isEqualTo("BEGIN");
      assertThat(session.status()).isEqualTo('T');
      assertThat(tag("END TRANSACTION")).isEqualTo("COMMIT");
    }
    assertThat(session.handle("START something")).isEmpty(); // not a transaction statement: the engine's
  }

  @Test
  void aFailedBlockRefusesEverythingButItsEnd() {
    tag("BEGIN");
    session.failed();
    assertThat(session.status()).isEqualTo('E');
    assertThat(sqlState("SHOW application_name")).isEqualTo("25P02");
    assertThat(sqlState("SET application_name = 'x'")).isEqualTo("25P02");
    assertThatThrownBy(() -> session.checkNotFailed("SELECT 1")).isInstanceOf(PgSession.Refused.class)
        .hasMessageContaining("current transaction is aborted").hasMessageContaining("ROLLBACK");
    assertThat(tag("COMMIT")).isEqualTo("ROLLBACK"); // a failed block cannot commit
    assertThat(session.status()).isEqualTo('I');
    session.checkNotFailed("SELECT 1");
    session.failed(); // outside a block a failure fails nothing
    assertThat(session.status()).isEqualTo('I');
  }

  @Test
  void aRollbackRestoresTheSettingsOfBegin() {
    tag("SET application_name = 'before'");
    tag("BEGIN");
    tag("SET application_name = 'inside'");
    assertThat(session.setting("application_name")).isEqualTo("inside");
    tag("ROLLBACK");
    assertThat(session.setting("application_name")).isEqualTo("before");
    tag("BEGIN");
    tag("SET application_name = 'kept'");
    tag("SET LOCAL DateStyle = 'ISO, DMY'");
    assertThat(session.setting("datestyle")).isEqualTo("ISO, DMY");
    tag("COMMIT");
    assertThat(session.setting("application_name")).isEqualTo("kept");
    assertThat(session.setting("datestyle")).isEqualTo("ISO, MDY"); // SET LOCAL lasts until the block ends
    PgSession.Answer outside = session.handle("SET LOCAL DateStyle = 'ISO, DMY'").orElseThrow();
    assertThat(outside.notice().sqlState()).isEqualTo("25P01");
    assertThat(session.setting("datestyle")).isEqualTo("ISO, MDY");
  }

  @Test
  void savepointsRecoverAFailedBlock() {
    tag("BEGIN");
    tag("SET application_name = 'one'");
    assertThat(tag("SAVEPOINT a")).isEqualTo("SAVEPOINT");
    tag("SET application_name = 'two'");
    tag("SAVEPOINT b");
    session.failed();
    assertThat(tag("ROLLBACK TO SAVEPOINT a")).isEqualTo("ROLLBACK");
    assertThat(session.status()).isEqualTo('T');
    assertThat(session.setting("application_name")).isEqualTo("one");
    assertThat(sqlState("RELEASE SAVEPOINT b")).isEqualTo("3B001"); // b was made after a: gone with the rollback
    assertThat(tag("RELEASE a")).isEqualTo("RELEASE");
    assertThat(sqlState("ROLLBACK TO a")).isEqualTo("3B001");
    tag("COMMIT");
    assertThat(sqlState("SAVEPOINT c")).isEqualTo("25P01");
  }

  @Test
  void statementsOutOfPlaceAreWarnedAbout() {
    Optional<PgSession.Answer> commit = session.handle("COMMIT");
    assertThat(commit.orElseThrow().notice().message()).isEqualTo("there is no transaction in progress");
    tag("BEGIN");
    assertThat(session.handle("BEGIN").orElseThrow().notice().sqlState()).isEqualTo("25001");
    assertThat(sqlState("DISCARD ALL")).isEqualTo("25001");
    assertThat(tag("COMMIT AND CHAIN")).isEqualTo("COMMIT");
    assertThat(session.status()).isEqualTo('T');
    assertThat(tag("ROLLBACK AND NO CHAIN")).isEqualTo("ROLLBACK");
    assertThat(session.status()).isEqualTo('I');
  }

  @Test
  void aSimpleQuerySplitsIntoItsStatements() {
    assertThat(new SqlText("BEGIN; SELECT ';' AS \"a;b\" -- ;\n; /* ; */ COMMIT;;").statements())
        .containsExactly("BEGIN", " SELECT ';' AS \"a;b\" -- ;\n", " /* ; */ COMMIT");
    assertThat(new SqlText("-- ping").statements()).isEmpty();
  }
}
