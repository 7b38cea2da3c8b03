package io.neuralake.cli;

import io.neuralake.ErrorCode;
import io.neuralake.NeuralakeException;
import io.neuralake.catalog.CatalogLoader;
import io.neuralake.spi.JavaSources;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a Java source program with the Neuralake API on its class path."
        + " The exit status is the program's: 0 when main returns, n when it calls System.exit(n), 1 when it throws.")
final class RunCommand implements Callable<Integer> {
  @CommandLine.Mixin Main.Common common;

  @CommandLine.Parameters(index = "0", paramLabel = "SCRIPT.java", description = "The program (its class needs a main method).")
  Path script;

  @CommandLine.Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the program.")
  List<String> args = new ArrayList<>();

  @CommandLine.Option(names = "--with", paramLabel = "PATH",
      description = "More sources to compile with the script, e.g. the catalog folder it uses.")
  List<Path> with = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<Path> sources = new ArrayList<>(CatalogLoader.javaFiles(script));
    for (Path p : with) {
      sources.addAll(CatalogLoader.javaFiles(p));
    }
    JavaSources.Compiled compiled = JavaSources.compile(sources);
    String expected = script.getFileName().toString().replaceFirst("\\.java$", "");
    Method main = findMain(compiled, expected);
    Thread.currentThread().setContextClassLoader(compiled.loader());
    ExitGuard.allowProgramExits();
    try {
      main.invoke(null, (Object) args.toArray(String[]::new));
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw new IllegalStateException(cause);
    }
    return 0;
  }

  private static Method findMain(JavaSources.Compiled compiled, String expected) throws ClassNotFoundException {
    List<Method> mains = new ArrayList<>();
    for (String name : compiled.classNames()) {
      Class<?> c = Class.forName(name, false, compiled.loader());
      try {
        Method m = c.getMethod("main", String[].class);
        if (Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() == c) {
          if (c.getSimpleName().equals(expected)) {
            return m;
          }
          mains.add(m);
        }
      } catch (NoSuchMethodException e) {
        // not an entry point
      }
    }
    if (mains.size() == 1) {
      return mains.get(0);
    }
    throw new NeuralakeException(ErrorCode.INVALID_DEFINITION,
        "no class named " + expected + " with `public static void main(String[] args)`"
        + " in the script" + (mains.isEmpty() ? "" : "; other mains: " + mains.stream().map(m -> m.getDeclaringClass().getName()).toList()));
  }
}
