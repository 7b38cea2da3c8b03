package io.neuralake.spi;

import io.neuralake.internal.compile.SourceCompiler;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Java sources compiled in memory against the running class path (as catalogs are). */
public final class JavaSources {
  private JavaSources() {}

  /** The compiled classes: a loader for them and their names. */
  public record Compiled(ClassLoader loader, Set<String> classNames) {
    public Compiled {
      classNames = Set.copyOf(classNames);
    }
  }

  /** Compiles {@code sources}; a compilation error names file and line, as javac prints them. */
  public static Compiled compile(List<Path> sources) {
    SourceCompiler.Compiled compiled = SourceCompiler.compile(sources);
    return new Compiled(compiled, compiled.classNames());
  }
}
