package io.neuralake.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neuralake.runtime.LakeRuntime;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogLoaderTest {
  @TempDir Path dir;

  private static final String TABLES = """
      package demo;
      import io.neuralake.catalog.Table;
      import io.neuralake.frame.Frame;
      import java.util.List;
      import java.util.Map;
      public final class Tables {
        @Table(description = "Numbers.")
        public static Frame numbers() { return Frame.fromColumns(Map.of("n", List.of(1L, 2L, 3L))); }
      }
      """;
  private static final String CATALOG = """
      package demo;
      import io.neuralake.catalog.Catalog;
      public final class MyCatalog {
        public static Catalog catalog() { return Catalog.builder("mine").database("db", Tables.class).build(); }
      }
      """;

  @Test
  void aFolderOfSourcesIsACatalog() throws Exception {
    Files.createDirectories(dir.resolve("demo"));
    Files.writeString(dir.resolve("demo/Tables.java"), TABLES);
    Files.writeString(dir.resolve("demo/MyCatalog.java"), CATALOG);
    Catalog c = CatalogLoader.load(dir.toString());
    assertThat(c.name()).isEqualTo("mine");
    assertThat(c.db("db").table("numbers").count()).isEqualTo(3);
  }

  @Test
  void loadingIntoARuntimeGivesTheCatalogThatRuntimeOnlyWhileItLoads() throws Exception {
    Files.createDirectories(dir.resolve("demo"));
    Files.writeString(dir.resolve("demo/Tables.java"), TABLES);
    Files.writeString(dir.resolve("demo/MyCatalog.java"), CATALOG);
    try (LakeRuntime runtime = LakeRuntime.builder().root(dir.toString()).build()) {
      Catalog c = CatalogLoader.load(dir.toString(), runtime);
      assertThat(c.context().runtime()).isSameAs(runtime);
      assertThat(c.context().engine()).isSameAs(runtime.engine());
      assertThat(c.db("db").table("numbers").count()).isEqualTo(3);
      // only for the duration of the catalog method, only on this thread
      assertThat(LakeRuntime.current()).isSameAs(LakeRuntime.defaults());
      assertThat(CatalogLoader.load(dir.toString()).context().runtime()).isSameAs(LakeRuntime.defaults());
    }
  }

  @Test
  void theInstalledRuntimeNestsAndIsRestoredAfterFailures() {
    try (LakeRuntime outer = LakeRuntime.builder().build(); LakeRuntime inner = LakeRuntime.builder().build()) {
      LakeRuntime.callWith(outer, () -> {
        assertThat(LakeRuntime.current()).isSameAs(outer);
        assertThatThrownBy(() -> LakeRuntime.callWith(inner, () -> {
          assertThat(LakeRuntime.current()).isSameAs(inner);
          assertThat(Catalog.builder("x").build().context().runtime()).isSameAs(inner);
          throw new IllegalStateException("catalog code failed");
        })).hasMessage("catalog code failed");
        assertThat(LakeRuntime.current()).isSameAs(outer);
        // a catalog that names its runtime keeps it
        assertThat(Catalog.builder("y").runtime(inner).build().context().runtime()).isSameAs(inner);
        return null;
      });
      assertThat(LakeRuntime.current()).isSameAs(LakeRuntime.defaults());
      inner.close();
      assertThatThrownBy(() -> LakeRuntime.callWith(inner, () -> null)).hasMessageContaining("lake runtime is closed");
    }
  }

  @Test
  void compileErrorsShowFileAndLine() throws Exception {
    Files.writeString(dir.resolve("Tables.java"), TABLES.replace("package demo;", "").replace("List.of(1L", "Lisst.of(1L"));
    assertThatThrownBy(() -> CatalogLoader.load(dir.toString()))
        .hasMessageContaining("do not compile")
        .hasMessageContaining(dir.resolve("Tables.java") + ":8:72: error")
        .hasMessageContaining("cannot find symbol");
  }

  @Test
  void theEntryPointMustBeThereOnce() throws Exception {
    Files.writeString(dir.resolve("Tables.java"), TABLES.replace("package demo;", ""));
    assertThatThrownBy(() -> CatalogLoader.load(dir.toString())).hasMessageContaining("no class in")
        .hasMessageContaining("public static Catalog catalog()");
    Files.writeString(dir.resolve("A.java"), CATALOG.replace("package demo;", "").replace("MyCatalog", "A"));
    Files.writeString(dir.resolve("B.java"), CATALOG.replace("package demo;", "").replace("MyCatalog", "B"));
    assertThatThrownBy(() -> CatalogLoader.load(dir.toString())).hasMessageContaining("more than one class");
  }

  @Test
  void missingPathsAreReported() {
    assertThatThrownBy(() -> CatalogLoader.load(dir.resolve("nope").toString())).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> CatalogLoader.load(dir.toString())).hasMessageContaining("no .java files");
  }

  @Test
  void aJarAndAClassName() throws Exception {
    Path src = dir.resolve("src/demo");
    Files.createDirectories(src);
    Files.writeString(src.resolve("Tables.java"), TABLES);
    Files.writeString(src.resolve("MyCatalog.java"), CATALOG);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
        "-cp", System.getProperty("java.class.path"), src.resolve("Tables.java").toString(), src.resolve("MyCatalog.java").toString());
    assertThat(rc).isZero();
    Path jar = dir.resolve("catalog.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String name : new String[] {"demo/Tables.class", "demo/MyCatalog.class"}) {
        out.putNextEntry(new JarEntry(name));
        try (OutputStream ignored = OutputStream.nullOutputStream()) {
          out.write(Files.readAllBytes(classes.resolve(name)));
        }
        out.closeEntry();
      }
    }
    Catalog c = CatalogLoader.load(jar + "!demo.MyCatalog");
    assertThat(c.db("db").tables()).containsExactly("numbers");
  }
}
