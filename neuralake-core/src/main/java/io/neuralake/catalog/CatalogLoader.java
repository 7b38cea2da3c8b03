package io.neuralake.catalog;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.internal.compile.SourceCompiler;
import io.neuralake.runtime.LakeRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads a catalog from code: a {@code .java} file or a folder of them (compiled in memory), or a
 * jar and a class name. The entry point is a class with {@code public static Catalog catalog()}.
 */
public final class CatalogLoader {
  private CatalogLoader() {}

  /**
   * {@link #load(String)} into a runtime of the caller's: while the catalog method runs,
   * {@code runtime} is {@link LakeRuntime#current()}, so a catalog built without
   * {@code .runtime(...)} uses it (its engine, stores and caches) instead of the default runtime.
   * A catalog that names its own runtime keeps it; check {@code catalog.context().runtime()} when
   * that matters (a server wants its sandboxed engine).
   */
  public static Catalog load(String spec, LakeRuntime runtime) {
    return LakeRuntime.callWith(runtime, () -> load(spec));
  }

  /** A {@code .java} file, a folder of {@code .java} files, or {@code some.jar!com.example.MyCatalog}. */
  public static Catalog load(String spec) {
    int bang = spec.indexOf('!');
    if (bang > 0 && spec.substring(0, bang).endsWith(".jar")) {
      return fromJar(Path.of(spec.substring(0, bang)), spec.substring(bang + 1));
    }
    return fromSource(Path.of(spec));
  }

  public static Catalog fromSource(Path path) {
    List<Path> sources = javaFiles(path);
    SourceCompiler.Compiled compiled = SourceCompiler.compile(sources);
    List<Method> entries = new ArrayList<>();
    for (String name : compiled.classNames()) {
      try {
        Class<?> c = Class.forName(name, false, compiled);
        for (Method m : c.getDeclaredMethods()) {
          if (isEntryPoint(m)) {
            entries.add(m);
          }
        }
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalStateException("cannot load the compiled class " + name + ": " + e, e);
      }
    }
    if (entries.size() != 1) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
          (entries.isEmpty() ? "no class in " : "more than one class in ") + path
          + " has the catalog entry point `public static Catalog catalog()`"
          + (entries.isEmpty() ? "; add one, e.g. return Catalog.builder(\"lake\").database(\"db\", MyTables.class).build();"
              : ": " + entries.stream().map(m -> m.getDeclaringClass().getName()).toList() + "; keep exactly one"));
    }
    return call(entries.get(0));
  }

  public static Catalog fromJar(Path jar, String className) {
    if (!Files.isRegularFile(jar)) {
      throw new NeuralakeException(ErrorCode.OBJECT_NOT_FOUND, "no jar at " + jar);
    }
    try {
      URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, CatalogLoader.class.getClassLoader());
      Class<?> c = Class.forName(className, true, loader);
      Method m = c.getMethod("catalog");
      if (!isEntryPoint(m)) {
        throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
            className + ".catalog() must be public static and return a Catalog");
      }
      return call(m);
    } catch (ClassNotFoundException e) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION, "the jar " + jar + " has no class " + className, e);
    } catch (NoSuchMethodException e) {
      throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
          className + " has no `public static Catalog catalog()` method", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code .java} files of a path: the file itself, or every one under a folder. */
  public static List<Path> javaFiles(Path path) {
    if (Files.isRegularFile(path)) {
      if (!path.toString().endsWith(".java")) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT,
            path + " is not a .java file; give a .java file, a folder of them,"
            + " or a jar as path/to.jar!com.example.MyCatalog");
      }
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      throw new NeuralakeException(ErrorCode.OBJECT_NOT_FOUND, "no catalog at " + path + ": the path does not exist");
    }
    try (Stream<Path> walk = Files.walk(path)) {
      List<Path> files = walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).sorted().toList();
      if (files.isEmpty()) {
        throw new NeuralakeException(ErrorCode.INVALID_ARGUMENT, "no .java files under " + path);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isEntryPoint(Method m) {
    return m.getName().equals("catalog") && m.getParameterCount() == 0 && Modifier.isStatic(m.getModifiers())
        && Modifier.isPublic(m.getModifiers()) && Catalog.class.isAssignableFrom(m.getReturnType());
  }

  private static Catalog call(Method m) {
    try {
      m.setAccessible(true);
      return (Catalog) m.invoke(null);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw NeuralakeException.of(m.getDeclaringClass().getName() + ".catalog() failed: " + cause, cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot call " + m + ": " + e.getMessage(), e);
    }
  }
}
