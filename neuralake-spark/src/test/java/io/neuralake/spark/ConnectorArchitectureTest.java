package io.neuralake.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The connector's public surface is its catalog class: everything else is in
 * {@code io.neuralake.spark.internal}; and it reaches Neuralake through the public API and the SPI
 * only, never the core's internals.
 */
class ConnectorArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.neuralake.spark");

  @Test
  void onlyTheCatalogIsPublicOutsideInternal() {
    classes().that().resideInAPackage("io.neuralake.spark").and().arePublic()
        .should().haveFullyQualifiedName(NeuralakeCatalog.class.getName())
        .check(CLASSES);
  }

  @Test
  void theCoresInternalsAreNotUsed() {
    noClasses().should().dependOnClassesThat().resideInAPackage("io.neuralake.internal..")
        .check(CLASSES);
    noClasses().should().dependOnClassesThat().resideInAPackage("io.neuralake.delta.internal..")
        .check(CLASSES);
  }
}
