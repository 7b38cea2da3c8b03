package io.neuralake.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import io.neuralake.testing.Browser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The example catalog's site in real headless Chromium: from file:// and from a static server under a sub-path,
 * every table reached by clicking, search by a column name with the keyboard, the copy button, and screenshots.
 */
class SiteBrowserTest {
  @TempDir static Path dir;
  static DemoLake demo;
  static Path site;
  static List<String> tables = new ArrayList<>();
  static ChromeDriver browser;
  static HttpServer server;

  @BeforeAll
  static void generate() throws IOException {
    demo = DemoLake.create(dir);
    CatalogExport export = CatalogExport.of(demo.catalog, DemoLake.SOURCES.toString());
    // under a sub-path: the static server serves dir/www, the site is at /docs/catalog/
    site = dir.resolve("www/docs/catalog");
    SiteGenerator.of(export).write(site, line -> { });
    for (JsonNode db : new ObjectMapper().readTree(export.json()).path("databases")) {
      db.path("tables").forEach(t -> tables.add(t.path("qualified_name").asText()));
    }
    server = SimpleFileServer.createFileServer(new InetSocketAddress("127.0.0.1", 0), dir.resolve("www"),
        SimpleFileServer.OutputLevel.NONE);
    server.start();
    browser = Browser.start(1280, 900);
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.stop(0);
    }
    demo.close();
  }

  private static String fileUrl(String page) {
    return site.resolve(page).toUri().toString();
  }

  private static String servedUrl(String page) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/docs/catalog/" + page;
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(10));
  }

  @Test
  void everyTableIsReachedByClickingFromTheFrontPageFromFileUrls() throws IOException {
    clickThroughEveryTable(fileUrl("index.html"));
    browser.get(fileUrl("db/tpch/orders.html"));
    // reported, not asserted: how long a table's page took from navigation to its load event
    Object loaded = browser.executeScript("return performance.getEntriesByType('navigation')[0].loadEventEnd");
    org.slf4j.LoggerFactory.getLogger(SiteBrowserTest.class).info("tpch.orders from file:// loaded in {} ms", loaded);
    browser.get(fileUrl("index.html"));
    Browser.screenshot(browser, "site-index");
  }

  @Test
  void everyTableIsReachedByClickingUnderASubPathOfAStaticServer() {
    clickThroughEveryTable(servedUrl("index.html"));
  }

  private static void clickThroughEveryTable(String index) {
    for (String qualified : tables) {
      String[] name = qualified.split("\\.");
      browser.get(index);
      browser.findElement(By.cssSelector("a[data-db='" + name[0] + "']")).click();   // the database's page
      assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith(name[0]);
      browser.findElement(By.linkText(name[1])).click();
      assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith(qualified);
      assertThat(browser.findElements(By.cssSelector("table.columns tbody tr"))).isNotEmpty();
      // the page's own stylesheet and scripts loaded (relative paths resolved): search works here too, its index
      // loaded after the page was shown
      indexLoaded();
      assertThat(browser.executeScript("return Array.isArray(window.NEURALAKE_SEARCH) && !!window.neuralakeSearch"))
          .isEqualTo(true);
    }
  }

  @Test
  void searchFindsATableByAColumnNameWithTheKeyboard() throws IOException {
    browser.get(fileUrl("db/bci/spikes.html"));
    browser.findElement(By.tagName("body")).sendKeys("/");
    WebElement input = browser.switchTo().activeElement();
    assertThat(input.getAttribute("id")).isEqualTo("search");
    input.sendKeys("totalprice");
    WebElement first = waiting().until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#search-results li[aria-selected='true']")));
    assertThat(first.getAttribute("data-url")).isEqualTo("db/tpch/orders.html");
    assertThat(first.findElement(By.tagName("mark")).getText()).isEqualTo("totalprice");
    Browser.screenshot(browser, "site-search");
    input.sendKeys(Keys.ENTER);
    waiting().until(ExpectedConditions.urlContains("db/tpch/orders.html"));
    assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("tpch.orders");

    // Ctrl+K focuses it from anywhere; the arrows move through the results
    browser.findElement(By.tagName("h1")).click();
    browser.switchTo().activeElement().sendKeys(Keys.chord(Keys.CONTROL, "k"));
    input = browser.switchTo().activeElement();
    assertThat(input.getAttribute("id")).isEqualTo("search");
    input.sendKeys("spikes");
    waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#search-results li")));
    List<WebElement> results = browser.findElements(By.cssSelector("#search-results li"));
    assertThat(results.get(0).getAttribute("data-url")).isEqualTo("db/bci/spikes.html");
    input.sendKeys(Keys.ARROW_DOWN);
    assertThat(results.get(1).getAttribute("aria-selected")).isEqualTo("true");
    assertThat(input.getAttribute("aria-activedescendant")).isEqualTo(results.get(1).getAttribute("id"));
  }

  @Test
  void searchRanksExactNamesFirstAndToleratesTypos() {
    browser.get(fileUrl("index.html"));
    assertThat(urls("spikes")).startsWith("db/bci/spikes.html", "db/bci/daily_spikes.html");
    assertThat(urls("ordrs")).first().isEqualTo("db/tpch/orders.html");
    assertThat(urls("tpch")).first().isEqualTo("db/tpch/index.html");
    assertThat(urls("parts in a parquet")).isEmpty();
    assertThat(urls("one parquet file")).containsExactly("db/tpch/part.html");   // a description's words
  }

  /** Waits (bounded) until the page has loaded the search index, which it does after it is shown. */
  private static void indexLoaded() {
    waiting().until(d -> Boolean.TRUE.equals(browser.executeScript(
        "return !!window.neuralakeSearchReady && window.neuralakeSearchReady()")));
  }

  @SuppressWarnings("unchecked")
  private static List<String> urls(String query) {
    indexLoaded();
    List<Map<String, Object>> results = (List<Map<String, Object>>) browser.executeScript(
        "return window.neuralakeSearch(arguments[0], 10).map(r => ({url: r.entry.url}))", query);
    return results.stream().map(r -> (String) r.get("url")).toList();
  }

  @Test
  void theCopyButtonCopiesTheSelectedSnippet() throws IOException {
    browser.get(fileUrl("db/tpch/part.html"));
    browser.findElement(By.id("tab-sql")).click();
    WebElement panel = browser.findElement(By.id("panel-sql"));
    assertThat(panel.isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("panel-java")).isDisplayed()).isFalse();
    String sql = browser.findElement(By.id("code-sql")).getText();
    assertThat(sql).startsWith("SELECT p_partkey, p_name, p_brand, p_retailprice FROM tpch.part");
    panel.findElement(By.cssSelector("button.copy")).click();
    waiting().until(ExpectedConditions.attributeToBeNotEmpty(panel.findElement(By.cssSelector("button.copy")),
        "data-copied"));
    assertThat(panel.findElement(By.cssSelector("button.copy")).getAttribute("data-copied")).isEqualTo("true");
    // reading the clipboard back needs the permission a user would give; writing it did not
    browser.executeCdpCommand("Browser.grantPermissions",
        Map.of("permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    Object clipboard = browser.executeAsyncScript(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, e => done('unreadable: ' + e));");
    assertThat(clipboard).isEqualTo(sql);
    Browser.screenshot(browser, "site-table");
  }

  @Test
  void aTablePageIsUsableAtAPhonesWidth() throws IOException {
    ChromeDriver phone = Browser.start(390, 844);
    try {
      phone.get(fileUrl("db/bci/spikes.html"));
      Object overflow = phone.executeScript(
          "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
      assertThat(((Number) overflow).intValue()).as("horizontal overflow of the page, in pixels").isLessThanOrEqualTo(0);
      Browser.screenshot(phone, "site-table-phone");
    } finally {
      phone.quit();
    }
  }
}
