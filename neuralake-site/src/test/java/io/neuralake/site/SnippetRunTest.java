package io.neuralake.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuralake.frame.DataFrame;
import io.neuralake.runtime.LakeRuntime;
import io.neuralake.spi.JavaSources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code the catalog tells people to paste works: for every table of the example catalog, the SQL snippet runs
 * through the library and returns rows, and the `neuralake run` script (which holds the Java snippet) compiles and
 * prints rows.
 */
class SnippetRunTest {
  private static final Pattern SHAPE = Pattern.compile("shape: \\((\\d+), (\\d+)\\)");
  @TempDir static Path dir;
  static DemoLake demo;
  static JsonNode doc;

  @BeforeAll
  static void export() throws IOException {
    demo = DemoLake.create(dir);
    doc = new ObjectMapper().readTree(CatalogExport.of(demo.catalog, DemoLake.SOURCES.toString()).json());
  }

  @AfterAll
  static void close() {
    demo.close();
  }

  private static List<JsonNode> tables() {
    List<JsonNode> out = new ArrayList<>();
    doc.path("databases").forEach(db -> db.path("tables").forEach(out::add));
    assertThat(out).hasSize(5);
    return out;
  }

  private static String snippet(JsonNode table, String id) {
    for (JsonNode s : table.path("snippets")) {
      if (s.path("id").asText().equals(id)) {
        return s.path("code").asText();
      }
    }
    throw new AssertionError(table.path("qualified_name").asText() + " has no " + id + " snippet");
  }

  @Test
  void everySqlSnippetReturnsRowsThroughTheLibrary() {
    for (JsonNode t : tables()) {
      String sql = snippet(t, "sql");
      try (DataFrame rows = demo.catalog.sql(sql).collect()) {
        assertThat(rows.rowCount()).as(sql).isPositive();
      }
    }
  }

  @Test
  void everyRunScriptCompilesAndPrintsRows() throws Exception {
    for (JsonNode t : tables()) {
      String script = snippet(t, "run");
      assertThat(script).as("the run script holds the Java snippet").contains(snippet(t, "java").lines()
          .map(l -> "    " + l).toList().toArray(String[]::new));
      Matcher name = Pattern.compile("public class (\\w+)").matcher(script);
      assertThat(name.find()).isTrue();
      Path file = Files.createDirectories(dir.resolve("scripts/" + name.group(1))).resolve(name.group(1) + ".java");
      Files.writeString(file, script);
      JavaSources.Compiled compiled = JavaSources.compile(List.of(file));
      Method main = Class.forName(name.group(1), true, compiled.loader()).getMethod("main", String[].class);
      String printed = printedBy(() -> LakeRuntime.callWith(demo.runtime, () -> {
        try {
          return main.invoke(null, (Object) new String[0]);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(t.path("qualified_name").asText() + ": the run script failed", e);
        }
      }));
      Matcher shape = SHAPE.matcher(printed);
      assertThat(shape.find()).as("%s printed:%n%s", t.path("qualified_name").asText(), printed).isTrue();
      assertThat(Long.parseLong(shape.group(1))).as(t.path("qualified_name").asText()).isPositive();
    }
  }

  private static String printedBy(Runnable work) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      work.run();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
