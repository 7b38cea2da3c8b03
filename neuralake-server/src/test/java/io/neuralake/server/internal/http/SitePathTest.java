package io.neuralake.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SitePathTest {
  @Test
  void theRootAndFoldersAreTheirIndex() {
    assertThat(SitePath.resolve("/")).hasValue("index.html");
    assertThat(SitePath.resolve("/db/tpch/")).hasValue("db/tpch/index.html");
    assertThat(SitePath.resolve("/db/tpch/orders.html")).hasValue("db/tpch/orders.html");
    assertThat(SitePath.resolve("/db/my~20db/t~2Ex.html")).hasValue("db/my~20db/t~2Ex.html");
  }

  @Test
  void nothingClimbsOutOrHidesBehindAnEscape() {
    for (String path : new String[] {"/..", "/../etc/passwd", "/assets/../../x", "/./index.html", "/a/./b",
        "/%2e%2e/x", "/assets/%2E%2E%2Fcatalog.json", "/a\\..\\b", "/db//x.html", "//etc/passwd", "/x\u0000.html",
        "/caf\u00e9.html", "", "relative.html"}) {
      assertThat(SitePath.resolve(path)).as(path).isEmpty();
    }
    assertThat(SitePath.resolve(null)).isEmpty();
  }

  @Test
  void typesByExtensionAndOnlyAssetsArePublic() {
    assertThat(SitePath.contentType("db/a/b.html")).isEqualTo("text/html; charset=utf-8");
    assertThat(SitePath.contentType("catalog.json")).isEqualTo("application/json");
    assertThat(SitePath.contentType("search-index.js")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(SitePath.contentType("assets/uPlot.min.css")).isEqualTo("text/css; charset=utf-8");
    assertThat(SitePath.contentType("x.bin")).isEqualTo("application/octet-stream");
    assertThat(SitePath.isPublic("assets/live.js")).isTrue();
    assertThat(SitePath.isPublic("search-index.js")).isFalse();
    assertThat(SitePath.isPublic("catalog.json")).isFalse();
    assertThat(SitePath.isPublic("index.html")).isFalse();
  }
}
