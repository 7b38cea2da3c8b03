package io.neuralake.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The harness measures what users get: it uses the public API (and io.neuralake.spi), no internals. */
class BenchArchitectureTest {
  @Test
  void theBenchUsesNoInternals() {
    noClasses().that().resideInAPackage("io.neuralake.bench..")
        .should().dependOnClassesThat().resideInAPackage("..internal..")
        .because("the benchmark harness measures the public API, as users call it")
        .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.neuralake.bench"));
  }
}
