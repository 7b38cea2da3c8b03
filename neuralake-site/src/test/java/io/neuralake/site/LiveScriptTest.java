package io.neuralake.site;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.testing.Browser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The live script's pure logic (which plot a result gets, histogram bins, the sort order) run in headless Chromium,
 * where it runs for readers, on a page without a server: there it draws nothing and calls nothing.
 */
class LiveScriptTest {
  @TempDir static Path dir;
  static ChromeDriver browser;

  @BeforeAll
  static void open() throws IOException {
    try (InputStream in = LiveScriptTest.class.getResourceAsStream("/io/neuralake/site/assets/live.js")) {
      Files.write(dir.resolve("live.js"), in.readAllBytes());
    }
    Files.writeString(dir.resolve("page.html"), "<!DOCTYPE html><html><body data-root=\"\"><p id=\"p\">static</p>"
        + "<script src=\"live.js\"></script></body></html>");
    browser = Browser.start(800, 600);
    browser.get(dir.resolve("page.html").toUri().toString());
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.quit();
    }
  }

  private static Object run(String script) {
    return ((JavascriptExecutor) browser).executeScript("return JSON.parse(JSON.stringify(" + script + "));");
  }

  @Test
  void aTimeColumnGivesALineChartOfTheNumbers() {
    assertThat(run("neuralakeLive.choosePlot(['day', 'n', 'name', 'price'], [{day: '2024-01-02', n: 3, name: 'a',"
        + " price: 1.5}, {day: '2024-01-01', n: 1, name: 'b', price: 2.5}])"))
        .isEqualTo(Map.of("kind", "line", "x", "day", "ys", List.of("n", "price"), "time", true));
    assertThat(run("neuralakeLive.choosePlot(['t', 'v'], [{t: '2024-01-01T10:00:00Z', v: 1}, {t: null, v: 2}])"))
        .isEqualTo(Map.of("kind", "line", "x", "t", "ys", List.of("v"), "time", true));
  }

  @Test
  void anOrderedNumberIsAnXElseAHistogram() {
    assertThat(run("neuralakeLive.choosePlot(['k', 'v'], [{k: 1, v: 9}, {k: 2, v: 3}, {k: 5, v: 4}])"))
        .isEqualTo(Map.of("kind", "line", "x", "k", "ys", List.of("v"), "time", false));
    assertThat(run("neuralakeLive.choosePlot(['k', 'v'], [{k: 3, v: 9}, {k: 2, v: 3}])"))
        .isEqualTo(Map.of("kind", "histogram", "column", "k"));
    assertThat(run("neuralakeLive.choosePlot(['name', 'v'], [{name: 'a', v: 9}])"))
        .isEqualTo(Map.of("kind", "histogram", "column", "v"));
    assertThat(run("neuralakeLive.choosePlot(['name', 'mixed'], [{name: 'a', mixed: 1}, {name: 'b', mixed: 'x'}])"))
        .isNull();
    assertThat(run("neuralakeLive.choosePlot([], [])")).isNull();
  }

  @Test
  void histogramsCountEveryNumberOnce() {
    assertThat(run("neuralakeLive.histogram([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null, 'x'], 5)"))
        .isEqualTo(Map.of("edges", List.of(0L, 2L, 4L, 6L, 8L), "counts", List.of(2L, 2L, 2L, 2L, 3L)));
    assertThat(run("neuralakeLive.histogram([7, 7], 20)"))
        .isEqualTo(Map.of("edges", List.of(7L), "counts", List.of(2L)));
    assertThat(run("neuralakeLive.histogram([], 20)")).isEqualTo(Map.of("edges", List.of(), "counts", List.of()));
  }

  @Test
  void sortingPutsNumbersInOrderAndNullsLast() {
    assertThat(run("[10, null, 9, 100].sort(neuralakeLive.compare)")).isEqualTo(java.util.Arrays.asList(9L, 10L, 100L,
        null));
    assertThat(run("['b', 'a', null, 'c'].sort(neuralakeLive.compare)"))
        .isEqualTo(java.util.Arrays.asList("a", "b", "c", null));
  }

  @Test
  void withoutAServerThePageIsLeftAlone() {
    assertThat(run("document.getElementById('p').textContent")).isEqualTo("static");
    assertThat(run("document.querySelectorAll('#token-form, #live-section').length")).isEqualTo(0L);
  }
}
