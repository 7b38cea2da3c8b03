package io.neuralake.server.http;

import static io.neuralake.server.ServerFixture.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.server.NeuralakeServer;
import io.neuralake.server.ServerFixture;
import io.neuralake.server.Users;
import io.neuralake.testing.Browser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * The catalog site served live by a real server, in real headless Chromium: from the front page to a Delta table,
 * whose page previews rows, runs SQL from its console (Ctrl+Enter), sorts the result by a header, plots it and says
 * the table's version; and the same behind a token, which the page asks for on a 401.
 */
class LiveSiteBrowserTest {
  @TempDir static Path dir;
  static ServerFixture lake;
  static NeuralakeServer open;
  static NeuralakeServer secured;
  static SubPathProxy proxy;
  static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    lake = ServerFixture.create(dir);
    open = lake.start(b -> b.users(Users.none()).flightPort(0).pgPort(0));
    secured = lake.start(b -> b.flightPort(0).pgPort(0));
    proxy = new SubPathProxy("/lake/", open.httpPort().orElseThrow());
    browser = Browser.start(1280, 1000);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (proxy != null) {
      proxy.close();
    }
    for (NeuralakeServer s : new NeuralakeServer[] {open, secured}) {
      if (s != null) {
        s.close();
      }
    }
    lake.close();
  }

  private static String url(NeuralakeServer server, String page) {
    return "http://127.0.0.1:" + server.httpPort().orElseThrow() + "/" + page;
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  private static String waitForText(String id, String part) {
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), part));
    return browser.findElement(By.id(id)).getText();
  }

  private static void runInConsole(String sql) {
    WebElement console = browser.findElement(By.id("sql"));
    console.clear();
    console.sendKeys(sql);
    console.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
  }

  private static List<Double> column(int index) {
    List<Double> out = new ArrayList<>();
    for (WebElement row : browser.findElements(By.cssSelector("#result tbody tr"))) {
      out.add(Double.parseDouble(row.findElements(By.tagName("td")).get(index).getText()));
    }
    return out;
  }

  @Test
  void theFrontPageIsAtTheRoot() {
    browser.get(url(open, ""));
    assertThat(browser.getTitle()).contains("test catalog");
    assertThat(browser.findElements(By.cssSelector("a[data-db='tpch']"))).isNotEmpty();
  }

  /** Through a proxy that serves the server under /lake/: the page reaches the API by relative addresses. */
  @Test
  void aTablePagePreviewsQueriesSortsPlotsAndSaysItsVersion() throws Exception {
    browser.get("http://127.0.0.1:" + proxy.port() + "/lake/");
    assertThat(browser.getTitle()).contains("test catalog");
    browser.findElement(By.cssSelector("a[data-db='tpch']")).click();
    browser.findElement(By.linkText("orders")).click();
    assertThat(browser.getCurrentUrl()).endsWith("/lake/db/tpch/orders.html");

    assertThat(waitForText("freshness", "version 1")).contains("last changed 20");
    waitForText("preview-status", "10 rows");
    assertThat(browser.findElements(By.cssSelector("#preview tbody tr"))).hasSize(10);

    runInConsole("SELECT o_orderdate, o_totalprice, o_orderkey FROM tpch.orders ORDER BY o_orderkey LIMIT 50");
    assertThat(waitForText("console-status", "50 rows")).matches("50 rows \\([\\d,]+ ms\\)\\.");
    browser.findElement(By.xpath("//table[@class='result']//th/button[text()='o_totalprice']")).click();
    List<Double> ascending = column(1);
    assertThat(ascending).hasSize(50).isSorted();
    browser.findElement(By.xpath("//table[@class='result']//th/button[text()='o_totalprice']")).click();
    assertThat(column(1)).isEqualTo(ascending.reversed());

    // a date column and numbers: a line chart over the dates, drawn on a canvas
    WebElement canvas = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#plot canvas")));
    assertThat(canvas.getSize().getWidth()).isPositive();
    assertThat(canvas.getSize().getHeight()).isPositive();
    assertThat(browser.findElement(By.cssSelector("#plot-controls select")).getAttribute("value")).isEqualTo("line");
    // the reader picks the chart and the columns: a histogram of the first Y column
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("#plot-controls select")))
        .selectByValue("histogram");
    assertThat(browser.findElement(By.cssSelector("#plot .u-legend")).getText()).contains("rows");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("#plot-controls select")))
        .selectByValue("line");
    assertThat(browser.findElement(By.cssSelector("#plot .u-legend")).getText()).contains("o_totalprice");
    ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()",
        browser.findElement(By.id("console-title")));
    Browser.screenshot(browser, "live-table");

    runInConsole("SELECT o_totalprice FROM tpch.orders");
    assertThat(waitForText("console-status", "first 1,000 rows"))
        .startsWith("The first 1,000 rows are shown; the result has more");
    assertThat(browser.findElements(By.cssSelector("#result tbody tr"))).hasSize(1000);
    assertThat(browser.findElement(By.cssSelector("#plot-controls select")).getAttribute("value")).isEqualTo("histogram");

    runInConsole("SELECT no_such_column FROM tpch.orders");
    assertThat(waitForText("console-status", "The server answered 4")).contains("no_such_column");
  }

  @Test
  void behindATokenThePageAsksForItAndThenShowsRows() {
    browser.manage().deleteAllCookies();
    browser.get(url(secured, "db/tpch/orders.html"));
    assertThat(waitForText("signin-message", "401")).contains("needs a token");
    assertThat(browser.findElements(By.id("live-section"))).isEmpty();

    browser.findElement(By.id("token")).sendKeys("not-the-token-0000000000");
    browser.findElement(By.cssSelector("#token-form button")).click();
    assertThat(waitForText("signin-message", "401")).contains("not valid");

    browser.findElement(By.id("token")).sendKeys(ADMIN_TOKEN);
    browser.findElement(By.cssSelector("#token-form button")).click();
    waitForText("preview-status", "10 rows");
    assertThat(waitForText("freshness", "version 1")).startsWith("Fresh as of now");

    // the page stays, the tab forgets the token: live calls get the server's 401, said so on the page
    ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.sessionStorage.clear()");
    browser.navigate().refresh();
    assertThat(waitForText("preview-status", "401")).contains("Enter a valid token in the Token field");
    browser.manage().deleteAllCookies();
  }
}
