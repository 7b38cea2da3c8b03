package io.neuralake.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The API boundary (issue 11, item 6). Every class of the product modules (neuralake-core,
 * neuralake-delta, neuralake-jdbc, neuralake-cli) and of neuralake-testing is on this module's test
 * class path, so the rules judge them all together: no public signature mentions an internal type,
 * the CLI and the test helpers use no internals, and neuralake-delta and neuralake-jdbc reach core's
 * internals only through the SPI package {@code io.neuralake.spi}. (neuralake-bench, which no product module sees, has the same
 * import rule in its own tests.)
 */
public class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.neuralake");

  @Test
  void importsTheWholeProduct() {
    // a rule over no classes passes: make sure each module was found
    for (String anchor : List.of("io.neuralake.frame.Frame", "io.neuralake.delta.DeltaTable", "io.neuralake.cli.Main",
        "io.neuralake.jdbc.JdbcTable", "io.neuralake.testing.LocalS3", "io.neuralake.site.SiteGenerator")) {
      assertThat(CLASSES.contain(anchor)).as(anchor).isTrue();
    }
  }

  /**
   * A public or protected member (constructor, method, field, record component through its
   * accessor), a superclass, an interface or a type parameter bound of a public class outside
   * {@code *.internal.*} must not mention an internal type: users would depend on it. Each
   * violation is listed with its member and the internal type, one per line.
   */
  @Test
  void noPublicSignatureMentionsAnInternalType() {
    assertThat(leaks(CLASSES))
        .as("public signatures that mention internal types (hide the member, or move it into an internal package;"
            + " sibling modules share through io.neuralake.spi)")
        .isEmpty();
  }

  /** The check itself finds each kind of leak and names member and type (a check that finds nothing proves nothing). */
  @Test
  void leaksAreNamedPrecisely() {
    JavaClasses leaky = new ClassFileImporter().importClasses(Leaky.class, Leaky.Hidden.class, Sealed.class);
    String plan = "io.neuralake.internal.plan.PlanNode";
    String leakyName = Leaky.class.getName();
    assertThat(leaks(leaky)).containsExactlyInAnyOrder(
        leakyName + " implements java.util.function.Supplier<" + plan + ">: " + plan,
        "public field " + leakyName + ".exposed: " + plan,
        "public constructor " + leakyName + "(PlanNode) parameter 1: " + plan,
        "public method " + leakyName + ".plan() returns: " + plan,
        "public method " + leakyName + ".get() returns: " + plan,
        "public method " + leakyName + ".plans(List) parameter 1: " + plan,
        "protected method " + leakyName + ".session() returns: io.neuralake.internal.engine.Session");
  }

  /** Fixture (this test class is public so that its nested fixtures are API): one leak of each kind, and members that are not API (package-private, private, in a hidden class). */
  @SuppressWarnings("unused")
  public static class Leaky implements java.util.function.Supplier<io.neuralake.internal.plan.PlanNode> {
    public io.neuralake.internal.plan.PlanNode exposed;
    io.neuralake.internal.plan.PlanNode packagePrivate;

    public Leaky(io.neuralake.internal.plan.PlanNode plan) {}

    public io.neuralake.internal.plan.PlanNode plan() {
      return null;
    }

    @Override
    public io.neuralake.internal.plan.PlanNode get() {
      return null;
    }

    public void plans(List<? extends io.neuralake.internal.plan.PlanNode> plans) {}

    protected io.neuralake.internal.engine.Session session() {
      return null;
    }

    private io.neuralake.internal.engine.Session hidden() {
      return null;
    }

    static class Hidden {
      public io.neuralake.internal.plan.PlanNode notApi() {
        return null;
      }
    }
  }

  /** Fixture: no leak (a public class whose members are all public API types). */
  public record Sealed(String name) {}

  static List<String> leaks(JavaClasses classes) {
    List<String> violations = new ArrayList<>();
    for (JavaClass c : classes) {
      if (isInternal(c) || !isApi(c)) {
        continue;
      }
      c.getSuperclass().ifPresent(t -> check(violations, c.getName() + " extends " + t.getName(), t));
      for (JavaType t : c.getInterfaces()) {
        check(violations, c.getName() + " implements " + t.getName(), t);
      }
      c.getTypeParameters().forEach(p -> p.getUpperBounds().forEach(
          b -> check(violations, c.getName() + " type parameter " + p.getName() + " bound", b)));
      for (JavaField f : c.getFields()) {
        if (isApi(f.getModifiers())) {
          check(violations, kind(f.getModifiers()) + "field " + c.getName() + "." + f.getName(), f.getType());
        }
      }
      for (JavaCodeUnit u : c.getCodeUnits()) {
        if (!isApi(u.getModifiers()) || u.getModifiers().contains(JavaModifier.SYNTHETIC)
            || u.getModifiers().contains(JavaModifier.BRIDGE)) {
          continue;
        }
        String name = kind(u.getModifiers()) + (u.isConstructor() ? "constructor " : "method ") + signature(c, u);
        check(violations, name + " returns", u.getReturnType());
        List<JavaType> parameters = u.getParameterTypes();
        for (int i = 0; i < parameters.size(); i++) {
          check(violations, name + " parameter " + (i + 1), parameters.get(i));
        }
        u.getThrowsClause().getTypes().forEach(t -> check(violations, name + " throws", t));
        u.getTypeParameters().forEach(p -> p.getUpperBounds().forEach(
            b -> check(violations, name + " type parameter " + p.getName() + " bound", b)));
      }
    }
    return violations;
  }

  @Test
  void theCliAndTheTestHelpersUseNoInternals() {
    noClasses().that().resideInAnyPackage("io.neuralake.cli..", "io.neuralake.testing..", "io.neuralake.sample..")
        .should().dependOnClassesThat().resideInAPackage("..internal..")
        .because("the CLI is an application of the public API (and io.neuralake.spi for what it shares with the"
            + " library), and the test helpers are what users' tests could copy")
        .check(CLASSES);
  }

  @Test
  void deltaAndJdbcReachCoreInternalsOnlyThroughTheSpi() {
    noClasses().that().resideInAnyPackage("io.neuralake.delta..", "io.neuralake.jdbc..")
        .should().dependOnClassesThat().resideInAPackage("io.neuralake.internal..")
        .because("what neuralake-delta and neuralake-jdbc share with neuralake-core is io.neuralake.spi")
        .check(CLASSES);
  }

  @Test
  void theProductDoesNotDependOnTheTestingModule() {
    noClasses().that().resideOutsideOfPackages("io.neuralake.testing..", "io.neuralake.sample..", "io.neuralake.cli..")
        .should().dependOnClassesThat().resideInAnyPackage("io.neuralake.testing..", "io.neuralake.sample..")
        .because("neuralake-testing (TPC-H, S3Proxy) is for tests, the CLI and the bench, never users' class paths")
        .check(CLASSES);
  }

  private static void check(List<String> violations, String where, JavaType type) {
    Set<String> internal = type.getAllInvolvedRawTypes().stream().map(JavaClass::getName)
        .filter(ArchitectureTest::isInternalName).collect(Collectors.toCollection(TreeSet::new));
    for (String name : internal) {
      violations.add(where + ": " + name);
    }
  }

  private static String signature(JavaClass c, JavaCodeUnit u) {
    String parameters = u.getRawParameterTypes().stream().map(JavaClass::getSimpleName).collect(Collectors.joining(", "));
    return c.getName() + (u.isConstructor() ? "" : "." + u.getName()) + "(" + parameters + ")";
  }

  private static String kind(Collection<JavaModifier> modifiers) {
    return modifiers.contains(JavaModifier.PUBLIC) ? "public " : "protected ";
  }

  /** Public, and every enclosing class public too: what a user can name. */
  private static boolean isApi(JavaClass c) {
    if (!c.getModifiers().contains(JavaModifier.PUBLIC) || c.isAnonymousClass() || c.isLocalClass()) {
      return false;
    }
    return c.getEnclosingClass().map(ArchitectureTest::isApi).orElse(true);
  }

  private static boolean isApi(Set<JavaModifier> modifiers) {
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }

  private static boolean isInternal(JavaClass c) {
    return isInternalName(c.getName());
  }

  static boolean isInternalName(String className) {
    return className.startsWith("io.neuralake.") && className.contains(".internal.");
  }
}
