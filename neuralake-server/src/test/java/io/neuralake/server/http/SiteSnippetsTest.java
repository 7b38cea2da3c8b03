package io.neuralake.server.http;

import static io.neuralake.server.ServerFixture.ADMIN_PASSWORD;
import static io.neuralake.server.ServerFixture.ADMIN_TOKEN;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.neuralake.catalog.Catalog;
import io.neuralake.delta.DeltaTable;
import io.neuralake.filter.Filter;
import io.neuralake.frame.DataFrame;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import io.neuralake.table.ParquetTable;
import io.neuralake.table.Partition;
import io.neuralake.table.PartitioningScheme;
import io.neuralake.types.DataType;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curl, psql and Python snippets of every table of the example catalog (and of a catalog whose docs filters
 * have every other shape), as the live site's pages show them, pasted unchanged into a shell against a real server
 * with users (the live site's snippets name the server's own ports), the credentials coming from the environment as
 * the snippets expect, and each returns the rows the library returns for the table's SQL snippet. The Python snippet
 * is only compiled ({@code python3 -m py_compile}), not run: its packages (adbc-driver-flightsql, pyarrow) are not
 * in Debian 12, and PyPI cannot be reached from here or from CI.
 */
class SiteSnippetsTest {
  private static final Pattern CODE = Pattern.compile("<code id=\"code-([a-z]+)\"[^>]*>([^<]*)</code>");
  private static final Pattern PSQL_ROWS = Pattern.compile("(?m)^\\((\\d+) rows?\\)$");

  @TempDir static Path dir;
  static ServerFixture lake;
  static List<Served> served;

  /** A server, the catalog it serves, and each of its tables' snippets by id (with the table's name as "table"). */
  private record Served(Catalog catalog, NeuralakeServer server, List<Map<String, String>> tables) {}

  @BeforeAll
  static void start() {
    lake = ServerFixture.demo(dir);
    NeuralakeServer demo = lake.start(b -> b.flightPort(NeuralakeServer.ANY_PORT).catalogSource(ServerFixture.DEMO_SOURCES.toString()));
    List<Map<String, String>> demoTables = snippetsOfEveryTable(demo);
    assertThat(demoTables).extracting(t -> t.get("table")).containsExactlyInAnyOrder("tpch.orders", "tpch.part",
        "tpch.supplier", "bci.spikes", "bci.daily_spikes");
    assertThat(demoTables).extracting(t -> t.get("kind")).contains("delta", "parquet", "function");
    Catalog odd = oddCatalog(lake.runtime);
    NeuralakeServer oddServer = NeuralakeServer.builder(odd).httpPort(NeuralakeServer.ANY_PORT)
        .flightPort(NeuralakeServer.ANY_PORT)
        .pgPort(NeuralakeServer.ANY_PORT).users(lake.users).catalogSource("odd/").start();
    served = List.of(new Served(lake.catalog, demo, demoTables),
        new Served(odd, oddServer, snippetsOfEveryTable(oddServer)));
  }

  /**
   * The example catalog's docs filters are all equalities on plain names; these tables, over the same files, have
   * the other shapes: a catalog name with a space, a table name SQL quotes, IN lists, comparisons, dates, values
   * with '#', spaces and a quote, and an operator the REST route lacks (so curl goes through the SQL route).
   */
  private static Catalog oddCatalog(LakeRuntime runtime) {
    return Catalog.builder("odd lake").runtime(runtime)
        .database("bci", "Spikes under other names.", List.of(
            ParquetTable.builder("Spikes_2", "spikes")
                .partitioning(PartitioningScheme.HIVE,
                    Partition.of("implant_id", DataType.INT64), Partition.of("date", DataType.STRING))
                .docsFilters(Filter.in("date", "2024-04-27", "2024-04-28"), Filter.ne("implant_id", 5012L),
                    Filter.gt("channel", 3), Filter.lt("rate_hz", 1000.0))
                .docsColumns("ts", "channel", "spike_count", "date")
                .build(),
            ParquetTable.builder("spikes_not_in", "spikes")
                .partitioning(PartitioningScheme.HIVE,
                    Partition.of("implant_id", DataType.INT64), Partition.of("date", DataType.STRING))
                .docsFilters(Filter.notIn("channel", 1, 2))
                .build()))
        .database("tpch", "Parts and orders under other names.", List.of(
            ParquetTable.builder("part_of_brand", "parts.parquet")
                .docsFilters(Filter.eq("p_brand", "Brand#13"), Filter.contains("p_type", "BRASS"),
                    Filter.ne("p_name", "it's not a part"))
                .build(),
            DeltaTable.builder("urgent_orders", "orders") // its schema from its log
                .docsFilters(Filter.ge("o_orderdate", LocalDate.parse("1995-01-01")),
                    Filter.eq("o_orderpriority", "1-URGENT"), Filter.in("o_orderstatus", "F", "O"))
                .build()))
        .build();
  }

  @AfterAll
  static void stop() {
    if (served != null) {
      served.forEach(s -> s.server().close());
    }
    lake.close();
  }

  /** Each table's snippets by id, read from its page (what a reader copies), and checked against catalog.json. */
  private static List<Map<String, String>> snippetsOfEveryTable(NeuralakeServer server) {
    Http http = new Http(server.httpPort().orElseThrow());
    JsonNode catalog = Http.json(http.get("/catalog.json", ADMIN_TOKEN, null));
    List<Map<String, String>> out = new ArrayList<>();
    for (JsonNode db : catalog.path("databases")) {
      for (JsonNode t : db.path("tables")) {
        // table and database names are letters, digits and underscores: the page's file name is the name
        String path = "/db/" + db.path("name").asText() + "/" + t.path("name").asText() + ".html";
        HttpResponse<byte[]> page = http.get(path, ADMIN_TOKEN, null);
        assertThat(page.statusCode()).as(t.path("qualified_name").asText()).isEqualTo(200);
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("table", t.path("qualified_name").asText());
        shown.put("kind", t.path("kind").asText());
        Matcher m = CODE.matcher(Http.text(page));
        while (m.find()) {
          shown.put(m.group(1), unescape(m.group(2)));
        }
        for (JsonNode s : t.path("snippets")) {
          assertThat(shown.get(s.path("id").asText())).as("%s: the page's %s snippet", shown.get("table"),
              s.path("id").asText()).isEqualTo(s.path("code").asText());
        }
        out.add(shown);
      }
    }
    return out;
  }

  private static String unescape(String html) {
    return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&amp;", "&");
  }

  @Test
  void everyCurlSnippetReturnsTheLibrarysRows() throws Exception {
    requireOnPath("curl", "curl");
    for (Served s : served) {
      for (Map<String, String> t : s.tables()) {
        String code = naming(t.get("curl"), "http://127.0.0.1:" + s.server().httpPort().getAsInt() + "/");
        Ran ran = run(t.get("table").replace(' ', '_') + "-curl", code);
        JsonNode rows = Http.JSON.readTree(ran.stdout());
        assertThat(rows.isArray()).as("%s: curl printed rows as a JSON array, not:%n%s", t.get("table"), ran.stdout())
            .isTrue();
        assertThat(rows.size()).as("%s: rows from curl", t.get("table")).isEqualTo(libraryRows(s, t)).isPositive();
      }
    }
  }

  /** With a token the server refuses, a curl snippet fails the shell and prints the server's error, not nothing. */
  @Test
  void aCurlSnippetWithAWrongTokenFailsSayingWhy() throws Exception {
    requireOnPath("curl", "curl");
    Served s = served.getFirst();
    Map<String, String> t = s.tables().getFirst();
    String code = naming(t.get("curl"), "http://127.0.0.1:" + s.server().httpPort().getAsInt() + "/");
    Ran ran = execute(t.get("table").replace(' ', '_') + "-curl-wrong-token", code, "not-a-token");
    assertThat(ran.exit()).as("curl's exit status with a refused token").isEqualTo(22);
    assertThat(Http.JSON.readTree(ran.stdout()).path("error").path("message").asText()).as(ran.stdout()).isNotEmpty();
  }

  @Test
  void everyPsqlSnippetReturnsTheLibrarysRows() throws Exception {
    requireOnPath("psql", "postgresql-client");
    for (Served s : served) {
      for (Map<String, String> t : s.tables()) {
        String code = naming(t.get("psql"), "psql -h 127.0.0.1 -p " + s.server().pgPort().getAsInt() + " ");
        Ran ran = run(t.get("table").replace(' ', '_') + "-psql", code);
        Matcher count = PSQL_ROWS.matcher(ran.stdout());
        assertThat(count.find()).as("%s: psql printed a row count:%n%s", t.get("table"), ran.stdout()).isTrue();
        assertThat(Long.parseLong(count.group(1))).as("%s: rows from psql", t.get("table"))
            .isEqualTo(libraryRows(s, t)).isPositive();
      }
    }
  }

  @Test
  void everyPythonSnippetCompiles() throws Exception {
    requireOnPath("python3", "python3");
    for (Served s : served) {
      for (Map<String, String> t : s.tables()) {
        Path file = dir.resolve(t.get("table").replaceAll("[^A-Za-z0-9]", "_") + ".py");
        Files.writeString(file, t.get("python"), UTF_8);
        assertThat(t.get("python")).as(t.get("table"))
            .contains("grpc://127.0.0.1:" + s.server().flightPort().getAsInt() + "\"", "cur.execute(");
        run(t.get("table").replace(' ', '_') + "-python", "python3 -m py_compile " + file);
      }
    }
  }

  /** The snippet, as it is, after checking it names the test server's door ({@code door}) once. */
  private static String naming(String code, String door) {
    assertThat(code.split(Pattern.quote(door), -1)).as("the snippet names '%s' once:%n%s", door, code).hasSize(2);
    return code;
  }

  /** Rows the library returns for the table's SQL snippet (the same filters, columns and limit). */
  private static long libraryRows(Served s, Map<String, String> t) {
    try (DataFrame rows = s.catalog().sql(t.get("sql")).collect()) {
      return rows.rowCount();
    }
  }

  private record Ran(int exit, String stdout, String stderr) {}

  /**
   * Runs {@code code} with {@code bash -c}, as pasted into a shell by a user whose credentials are in the environment
   * (never on the command line or in output); fails unless it exits 0 with nothing on stderr.
   */
  private static Ran run(String name, String code) throws IOException, InterruptedException {
    Ran ran = execute(name, code, ADMIN_TOKEN);
    assertThat(ran.exit()).as("%s: exit status of%n%s%nstdout:%n%s%nstderr:%n%s", name, code, ran.stdout(),
        ran.stderr()).isZero();
    assertThat(ran.stderr()).as("%s: stderr of%n%s", name, code).isEmpty();
    return ran;
  }

  /** {@link #run}'s process with {@code token} as the user's, whatever its outcome. */
  private static Ran execute(String name, String code, String token) throws IOException, InterruptedException {
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", code).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = pb.environment();
    // a proxy from the machine's environment would take curl's loopback request elsewhere
    env.keySet().removeIf(k -> k.toLowerCase(Locale.ROOT).endsWith("_proxy"));
    env.put("NEURALAKE_USER", "admin");
    env.put("NEURALAKE_TOKEN", token);
    env.put("NEURALAKE_PASSWORD", ADMIN_PASSWORD);
    env.put("PSQLRC", "/dev/null"); // the user's psql settings would change what it prints
    env.put("PGCONNECT_TIMEOUT", "10");
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(name + ": the snippet did not finish within 120 s");
    }
    Ran ran = new Ran(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    assertThat(ran.stdout() + ran.stderr()).as("%s: the credentials stay out of the output", name)
        .doesNotContain(token).doesNotContain(ADMIN_PASSWORD);
    return ran;
  }

  private static void requireOnPath(String command, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "");
    boolean found = Arrays.stream(path.split(File.pathSeparator))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
    assertThat(found).as("%s is not on PATH: install Debian's %s (.ci/run does)", command, debianPackage).isTrue();
  }
}
