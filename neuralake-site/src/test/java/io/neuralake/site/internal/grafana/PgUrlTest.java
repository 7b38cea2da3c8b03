package io.neuralake.site.internal.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.NeuralakeException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PgUrlTest {
  @Test
  void readsHostPortDatabaseUserAndSslMode() {
    assertThat(PgUrl.parse("postgresql://grafana@lake.internal:6000/lake?sslmode=require", "cat"))
        .isEqualTo(new PgUrl("lake.internal", 6000, "lake", Optional.of("grafana"), "require"));
    assertThat(PgUrl.parse("postgres://10.0.0.5", "cat"))
        .isEqualTo(new PgUrl("10.0.0.5", 5433, "cat", Optional.empty(), "disable"));
    assertThat(PgUrl.parse("postgresql://[::1]:5433/x", "cat").hostAndPort()).isEqualTo("[::1]:5433");
  }

  @Test
  void refusesWhatItCannotUseNamingTheOptionAndTheFix() {
    assertThatThrownBy(() -> PgUrl.parse("http://host/db", "c")).isInstanceOf(NeuralakeException.class)
        .hasMessageContaining("--pg-url").hasMessageContaining("postgresql://");
    assertThatThrownBy(() -> PgUrl.parse("postgresql:///db", "c")).hasMessageContaining("no host");
    assertThatThrownBy(() -> PgUrl.parse("postgresql://h/db?sslmode=maybe", "c")).hasMessageContaining("sslmode");
    assertThatThrownBy(() -> PgUrl.parse("postgresql://h/a/b", "c")).hasMessageContaining("'/'");
  }

  @Test
  void aPasswordInTheUrlIsRefusedAndNotRepeated() {
    assertThatThrownBy(() -> PgUrl.parse("postgresql://u:s3cret@h:5433/db", "c"))
        .hasMessageContaining("password").hasMessageContaining("NEURALAKE_GRAFANA_PASSWORD")
        .hasMessageNotContaining("s3cret");
  }
}
