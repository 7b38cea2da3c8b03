package io.neuralake.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** The JVM flags of bin/jvm.properties, their one source, as the build copied them into the bench jar. */
final class JvmFlags {
  private static final String RESOURCE = "jvm.properties";

  private JvmFlags() {}

  /** The flags of the named entries, in order. */
  static List<String> get(String... names) {
    Properties p = new Properties();
    try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("io/neuralake/bench/" + RESOURCE + " is missing from the class path; rebuild"
            + " the harness (./mvnw -pl neuralake-bench -am package), which copies it from bin/jvm.properties");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read io/neuralake/bench/" + RESOURCE + ": " + e.getMessage(), e);
    }
    List<String> flags = new ArrayList<>();
    for (String name : names) {
      String value = p.getProperty(name);
      if (value == null) {
        throw new IllegalStateException("bin/jvm.properties has no entry '" + name + "'");
      }
      flags.addAll(Arrays.stream(value.trim().split("\\s+")).filter(f -> !f.isEmpty()).toList());
    }
    return List.copyOf(flags);
  }
}
