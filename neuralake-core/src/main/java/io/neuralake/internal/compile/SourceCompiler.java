package io.neuralake.internal.compile;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources in memory against the running class path, so a catalog can be a folder
 * of {@code .java} files in version control, with no build step. Errors come back with file and
 * line, as javac prints them.
 */
public final class SourceCompiler {
  private SourceCompiler() {}

  /** The compiled classes, loadable by name. */
  public static final class Compiled extends ClassLoader {
    private final Map<String, byte[]> classes;

    private Compiled(Map<String, byte[]> classes, ClassLoader parent) {
      super(parent);
      this.classes = classes;
    }

    /** Names of the top-level and nested classes compiled. */
    public Set<String> classNames() {
      return classes.keySet();
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] bytes = classes.get(name);
      if (bytes == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, bytes, 0, bytes.length);
    }
  }

  public static Compiled compile(List<Path> sources) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("compiling catalog sources needs a JDK (javac), but this Java runtime has none;"
          + " run Neuralake with a JDK 21 or newer");
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<String, byte[]> out = new HashMap<>();
    try (StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
        JavaFileManager memory = new MemoryFileManager(standard, out)) {
      Iterable<? extends JavaFileObject> units = standard.getJavaFileObjectsFromPaths(sources);
      List<String> options = new ArrayList<>(List.of("-proc:none", "-parameters", "-Xlint:-options"));
      String classPath = compileClassPath();
      if (!classPath.isBlank()) {
        options.add("-classpath");
        options.add(classPath);
      }
      Boolean ok = javac.getTask(null, memory, diagnostics, options, null, units).call();
      if (!Boolean.TRUE.equals(ok)) {
        throw new CompilationException(format(diagnostics));
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not compile " + sources + ": " + e.getMessage(), e);
    }
    ClassLoader parent = Thread.currentThread().getContextClassLoader();
    return new Compiled(out, parent == null ? SourceCompiler.class.getClassLoader() : parent);
  }

  /**
   * What catalog sources compile against: the JVM's class path, the jars of the class loaders that
   * will load them (a host such as Spark adds {@code --jars} to a loader of its own, not to the
   * class path), and the jar holding Neuralake itself, wherever it was loaded from.
   */
  static String compileClassPath() {
    Set<String> entries = new LinkedHashSet<>();
    for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!e.isBlank()) {
        entries.add(e);
      }
    }
    for (ClassLoader l = Thread.currentThread().getContextClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader urls) {
        for (URL url : urls.getURLs()) {
          fileOf(url).ifPresent(entries::add);
        }
      }
    }
    CodeSource own = SourceCompiler.class.getProtectionDomain().getCodeSource();
    if (own != null && own.getLocation() != null) {
      fileOf(own.getLocation()).ifPresent(entries::add);
    }
    return String.join(File.pathSeparator, entries);
  }

  private static Optional<String> fileOf(URL url) {
    if (!"file".equals(url.getProtocol())) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(url.toURI()).toString());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String format(DiagnosticCollector<JavaFileObject> diagnostics) {
    StringBuilder sb = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      String file = d.getSource() == null ? "?" : Path.of(d.getSource().toUri()).toString();
      sb.append(file).append(':').append(d.getLineNumber()).append(':').append(d.getColumnNumber())
          .append(": error: ").append(d.getMessage(Locale.ROOT)).append('\n');
    }
    return sb.toString().stripTrailing();
  }

  /** The compiler's errors, one per line as {@code File.java:line:column: error: message}. */
  public static final class CompilationException extends NeuralakeException {
    private static final long serialVersionUID = 1L;

    CompilationException(String errors) {
      super(ErrorCode.INVALID_DEFINITION, "the catalog sources do not compile:\n" + errors);
    }
  }

  private static final class MemoryFileManager extends ForwardingJavaFileManager<JavaFileManager> {
    private final Map<String, byte[]> out;

    MemoryFileManager(JavaFileManager delegate, Map<String, byte[]> out) {
      super(delegate);
      this.out = out;
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
        FileObject sibling) {
      return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
        @Override
        public OutputStream openOutputStream() {
          return new ByteArrayOutputStream() {
            @Override
            public void close() {
              out.put(className, toByteArray());
            }
          };
        }
      };
    }
  }
}
