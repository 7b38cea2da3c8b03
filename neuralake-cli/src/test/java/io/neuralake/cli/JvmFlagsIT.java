package io.neuralake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * bin/jvm.properties is the one source of the JVM flags; the runnable jar's manifest can only
 * repeat them in its own syntax (java -jar without flags still works), so this checks they agree,
 * and that no other place writes the flags again.
 */
class JvmFlagsIT {
  @Test
  void theJarManifestOpensWhatTheFlagsOpen() throws IOException {
    List<String> flags = Cli.jvmFlags("neuralake.jvm.opens");
    Attributes manifest;
    try (JarFile jar = new JarFile(Cli.JAR.toFile())) {
      manifest = jar.getManifest().getMainAttributes();
    }
    List<String> opened = flags.stream().filter(f -> f.startsWith("--add-opens="))
        .map(f -> f.substring("--add-opens=".length(), f.lastIndexOf('='))).toList();
    assertThat(Arrays.asList(manifest.getValue("Add-Opens").trim().split("\\s+"))).containsExactlyInAnyOrderElementsOf(opened);
    assertThat(flags).contains("--enable-native-access=" + manifest.getValue("Enable-Native-Access"));
  }

  @Test
  void noOtherPlaceWritesTheFlags() throws IOException {
    List<java.nio.file.Path> readers = List.of(Cli.REPO.resolve("neuralake"), Cli.REPO.resolve("pom.xml"),
        Cli.REPO.resolve("neuralake-delta/pom.xml"), Cli.REPO.resolve("neuralake-bench/pom.xml"),
        Cli.REPO.resolve("neuralake-bench/src/main/java/io/neuralake/bench/WorkerProcess.java"),
        Cli.REPO.resolve("neuralake-cli/src/test/java/io/neuralake/cli/Cli.java"));
    for (java.nio.file.Path p : readers) {
      String text = Files.readString(p);
      assertThat(Stream.of("--add-opens=", "--enable-native-access=", "--sun-misc-unsafe-memory-access="))
          .as(p.toString()).noneMatch(text::contains);
    }
  }
}
