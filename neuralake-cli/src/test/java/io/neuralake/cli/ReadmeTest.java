package io.neuralake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.neuralake.catalog.Catalog;
import io.neuralake.catalog.CatalogLoader;
import io.neuralake.spi.JavaSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README stands on its own: every relative link resolves inside the repository, and every
 * {@code java} block compiles, as a reader would paste it.
 *
 * <p>A block that declares a class is a source file: its first line says which
 * ({@code // Tpch.java}), and the README's catalog folder is made of those files, so the test also
 * loads them as a catalog the way {@code --catalog FOLDER} does. Any other block is a fragment of
 * a program: its {@code static} declarations become members and the rest the body of a method,
 * with the README's usual imports. A reader carries names from one fragment to the next
 * ({@code ORDERS} declared in one, appended to in the next; {@code catalog}, {@code frame}), so each
 * fragment's class extends the previous one's and {@code catalog} and {@code frame} are given.
 */
class ReadmeTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("(?ms)^```java\\n(.*?)^```");
  private static final Pattern FILE_NAME = Pattern.compile("\\A// (\\w+)\\.java\\b");
  private static final Pattern TYPE_DECLARATION =
      Pattern.compile("(?m)^(public )?(final )?(class|record|interface|enum) ");
  private static final String IMPORTS = """
      import io.neuralake.*;
      import io.neuralake.catalog.*;
      import io.neuralake.delta.*;
      import io.neuralake.engine.*;
      import io.neuralake.filter.Filter;
      import io.neuralake.frame.*;
      import io.neuralake.jdbc.*;
      import io.neuralake.query.*;
      import io.neuralake.runtime.*;
      import io.neuralake.site.*;
      import io.neuralake.storage.*;
      import io.neuralake.table.*;
      import io.neuralake.types.*;
      import java.nio.file.Path;
      import java.time.*;
      import java.util.*;
      import java.util.concurrent.*;
      import org.apache.arrow.vector.ipc.ArrowReader;
      """;

  /** A Markdown link's target, or a path written as text that climbs out of the folder. */
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)|(?<![\\w.])(\\.\\./[\\w./-]+)");
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path work;

  @Test
  void relativeLinksStayInsideTheRepository() throws IOException {
    for (Path doc : List.of(REPOSITORY.resolve("README.md"), REPOSITORY.resolve("docs/design.md"))) {
      Matcher m = LINK.matcher(Files.readString(doc));
      while (m.find()) {
        String target = (m.group(1) != null ? m.group(1) : m.group(2)).replaceAll("#.*", "");
        if (target.isEmpty() || target.matches("[a-z]+:.*")) {
          continue;                                      // an anchor, or an absolute URL
        }
        Path resolved = doc.getParent().resolve(target).normalize();
        assertThat(resolved.startsWith(REPOSITORY) && Files.exists(resolved))
            .as("%s links to %s, which a clone of the repository does not have", doc.getFileName(), target)
            .isTrue();
      }
    }
  }

  @Test
  void everyJavaBlockCompiles() throws IOException {
    List<String> blocks = javaBlocks(Files.readString(REPOSITORY.resolve("README.md")));
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(5);

    Path catalogFolder = Files.createDirectories(work.resolve("catalog"));
    List<Path> sources = new ArrayList<>();
    String previous = "ReadmeContext";
    sources.add(write(work.resolve(previous + ".java"), IMPORTS + """
        abstract class ReadmeContext {
          static Catalog catalog;
          static Frame frame;
        }
        """));
    for (int i = 0; i < blocks.size(); i++) {
      String block = blocks.get(i);
      if (TYPE_DECLARATION.matcher(block).find()) {
        Matcher name = FILE_NAME.matcher(block);
        assertThat(name.find())
            .as("README java block %d declares a class, so its first line must name its file (// Name.java):%n%s",
                i + 1, block)
            .isTrue();
        sources.add(write(catalogFolder.resolve(name.group(1) + ".java"), block));
      } else {
        String className = "ReadmeFragment" + (i + 1);
        sources.add(write(work.resolve(className + ".java"), fragment(className, previous, block)));
        previous = className;
      }
    }

    JavaSources.compile(sources);                        // throws with file, line and message on any error
    Catalog catalog = CatalogLoader.fromSource(catalogFolder);
    assertThat(catalog.dbs()).containsExactly("tpch");
    assertThat(catalog.db("tpch").tables()).contains("part", "spikes", "supplier");
  }

  private static List<String> javaBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(markdown);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  /** Lines from a {@code static}/{@code public static} declaration to its closing {@code ;} are members. */
  private static String fragment(String className, String superClass, String block) {
    StringBuilder members = new StringBuilder();
    StringBuilder body = new StringBuilder();
    boolean inMember = false;
    for (String line : block.split("\n", -1)) {
      if (!inMember && (line.startsWith("public static ") || line.startsWith("static "))) {
        inMember = true;
      }
      (inMember ? members : body).append(line).append('\n');
      if (inMember && line.replaceAll("//.*", "").stripTrailing().endsWith(";")) {
        inMember = false;
      }
    }
    return IMPORTS + "class " + className + " extends " + superClass + " {\n" + members
        + "  void run() throws Exception {\n" + body + "  }\n}\n";
  }

  private static Path write(Path file, String text) throws IOException {
    Files.writeString(file, text);
    return file;
  }
}
