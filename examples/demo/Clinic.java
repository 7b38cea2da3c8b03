import io.neuralake.jdbc.JdbcCredentials;
import io.neuralake.jdbc.JdbcDatabase;
import java.util.Optional;

/**
 * Relational tables: the PostgreSQL schema {@code neuralake_demo} (its {@code implants} table is
 * written by {@code neuralake demo}), listed at run time as the database {@code clinic}. Present
 * when {@code NEURALAKE_DEMO_PG_URL} names the database, e.g.
 * {@code jdbc:postgresql://localhost:5432/postgres}; the login is read from
 * {@code NEURALAKE_DEMO_PG_USER} and {@code NEURALAKE_DEMO_PG_PASSWORD} when a table connects.
 */
public final class Clinic {
  public static final String SCHEMA = "neuralake_demo";

  /** The database, when the URL is set (the system property {@code neuralake.demo.pg.url} wins over the variable). */
  public static Optional<JdbcDatabase> database() {
    String url = System.getProperty("neuralake.demo.pg.url", System.getenv("NEURALAKE_DEMO_PG_URL"));
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(JdbcDatabase.of("clinic", url.strip(), JdbcCredentials.fromEnvironment("NEURALAKE_DEMO_PG_"),
        SCHEMA).description("Implants and where they were placed, in PostgreSQL (listed at run time)."));
  }

  private Clinic() {}
}
