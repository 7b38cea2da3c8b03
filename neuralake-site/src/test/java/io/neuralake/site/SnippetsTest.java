package io.neuralake.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.neuralake.filter.Filter;
import io.neuralake.site.internal.Snippets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The snippets' text for filters of every shape, names that need quoting and values that need escaping. */
class SnippetsTest {
  private static String code(Snippets snippets, String id) {
    for (JsonNode s : snippets.toJson()) {
      if (s.path("id").asText().equals(id)) {
        return s.path("code").asText();
      }
    }
    throw new AssertionError("no snippet " + id);
  }

  @Test
  void filtersBecomeJavaCallsSqlPredicatesAndRestParameters() {
    Snippets s = Snippets.of("demo", "catalog/", "bci", "spikes",
        List.of(Filter.eq("implant_id", 4595L), Filter.in("date", "2024-04-27", "2024-04-28"),
            Filter.ge("rate_hz", 1.5)), List.of("ts", "channel"));
    assertThat(code(s, "java")).isEqualTo("""
        Catalog catalog = CatalogLoader.load("catalog/");
        Frame frame = catalog.db("bci").table("spikes",
            Filter.eq("implant_id", 4595L),
            Filter.in("date", "2024-04-27", "2024-04-28"),
            Filter.ge("rate_hz", 1.5))
            .select("ts", "channel");
        try (DataFrame rows = frame.limit(10).collect()) {
          System.out.println(rows);
        }
        """);
    assertThat(code(s, "sql")).isEqualTo("SELECT ts, channel FROM bci.spikes WHERE implant_id = 4595"
        + " AND date IN ('2024-04-27', '2024-04-28') AND rate_hz >= 1.5 LIMIT 10");
    assertThat(code(s, "curl")).isEqualTo("curl -sS --fail-with-body -H \"Authorization: Bearer $NEURALAKE_TOKEN\" -g"
        + " 'http://127.0.0.1:8080/api/tables/bci.spikes?filter[implant_id]=4595"
        + "&filter[date]in=2024-04-27%2C2024-04-28&filter[rate_hz]gte=1.5&columns=ts,channel&limit=10'");
    assertThat(code(s, "run")).startsWith("// BciSpikes.java: ./neuralake run BciSpikes.java\n")
        .contains("public class BciSpikes {");
  }

  @Test
  void quotesAndOddNamesAreEscapedForEachLanguage() {
    Snippets s = Snippets.of("my lake", "it's/here", "db", "Odd Table",
        List.of(Filter.eq("name", "O'Brien \"Bob\""), Filter.eq("day", LocalDate.parse("2024-04-28"))), List.of());
    assertThat(code(s, "java")).contains("CatalogLoader.load(\"it's/here\")",
        "Filter.eq(\"name\", \"O'Brien \\\"Bob\\\"\")", "Filter.eq(\"day\", java.time.LocalDate.parse(\"2024-04-28\"))");
    assertThat(code(s, "sql")).isEqualTo("SELECT * FROM db.\"Odd Table\" WHERE name = 'O''Brien \"Bob\"'"
        + " AND day = DATE '2024-04-28' LIMIT 10");
    // the shell sees one single-quoted argument: its quote is closed, escaped and reopened
    assertThat(code(s, "psql")).contains("-d 'my lake' -c 'SELECT * FROM db.\"Odd Table\" WHERE name = '\\''O'\\'''\\''Brien \"Bob\"'\\'' AND");
    assertThat(code(s, "python")).contains("cur.execute(\"SELECT * FROM db.\\\"Odd Table\\\"");
    assertThat(code(s, "run")).contains("public class DbOddTable {");
  }

  @Test
  void operatorsTheRestRouteLacksGoThroughTheSqlRoute() {
    Snippets s = Snippets.of("demo", "c", "db", "t", List.of(Filter.includes("tags", "a")), List.of());
    assertThat(code(s, "sql")).isEqualTo("SELECT * FROM db.t WHERE list_contains(tags, 'a') LIMIT 10");
    assertThat(code(s, "curl")).endsWith("-d 'SELECT * FROM db.t WHERE list_contains(tags, '\\''a'\\'') LIMIT 10'"
        + " http://127.0.0.1:8080/api/sql");
  }

  @Test
  void snippetsPointAtTheServersDoorsAndLeaveOutTheDoorsThatAreOff() {
    List<Filter> none = List.of();
    Snippets defaults = Snippets.of("demo", "c", "db", "t", none, List.of());
    assertThat(code(defaults, "psql")).startsWith("PGPASSWORD=\"$NEURALAKE_PASSWORD\" psql -h 127.0.0.1 -p 5433 ");
    assertThat(code(defaults, "python")).contains("flightsql.connect(\"grpc://127.0.0.1:8815\"");

    Snippets tls = Snippets.of("demo", "c", new ServerEndpoints("lake.internal", 9443, 6432, 9815, true), "db", "t",
        none, List.of());
    assertThat(code(tls, "curl")).contains(" 'https://lake.internal:9443/api/tables/db.t?limit=10'");
    assertThat(code(tls, "psql")).startsWith("PGPASSWORD=\"$NEURALAKE_PASSWORD\" PGSSLMODE=verify-full psql -h"
        + " lake.internal -p 6432 ");
    assertThat(code(tls, "python")).contains("flightsql.connect(\"grpc+tls://lake.internal:9815\"");

    Snippets httpOnly = Snippets.of("demo", "c", new ServerEndpoints("::1", 8080, 0, 0, false), "db", "t", none,
        List.of());
    assertThat(httpOnly.snippets()).extracting(Snippets.Snippet::id).containsExactly("java", "run", "sql", "curl");
    assertThat(code(httpOnly, "curl")).contains("'http://[::1]:8080/api/tables/db.t?limit=10'");
  }

  @Test
  void aHostThatIsNotANameOrAnAddressIsRefused() {
    assertThatThrownBy(() -> new ServerEndpoints("lake; rm -rf /", 8080, 5433, 8815, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'lake; rm -rf /' is not a host name");
    assertThatThrownBy(() -> new ServerEndpoints("lake", 70000, 5433, 8815, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("httpPort 70000 is not a port");
  }
}
