package org.quiver.tests;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quiver.storage.FileTrees;
import org.quiver.storage.index.IndexMethod;
import org.quiver.storage.index.IndexMetric;
import org.quiver.storage.index.IndexParams;
import org.quiver.storage.index.Quantization;

/**
 * The engine's boundary, checked on the compiled classes: the SQL door, the servers, COPY and the
 * command line reach the engine through {@code engine.api} alone, and {@code engine.api} depends
 * on no engine internals. Both may use storage's value types: {@code storage.schema} (tables and
 * column batches), {@code storage.column} (the typed columns of batches and results, and their
 * conversion to and from Arrow), {@code storage.vector} (vector values and kernels), the four
 * value types of an index declaration, which the api's index requests and records carry
 * ({@code IndexMethod}, {@code IndexMetric}, {@code IndexParams}, {@code Quantization}: they live
 * in storage because the index formats persist them), and {@code FileTrees}, a file-system helper that holds no engine state.
 */
class ApiBoundaryTest {
  private static final DescribedPredicate<JavaClass> ENGINE_INTERNALS =
      resideInAPackage("org.quiver.engine..")
          .and(not(resideInAPackage("org.quiver.engine.api..")))
          .as("are engine classes outside engine.api");

  private static final DescribedPredicate<JavaClass> STORAGE_VALUES =
      resideInAnyPackage("org.quiver.storage.schema..", "org.quiver.storage.column..",
          "org.quiver.storage.vector..")
          .or(belongToAnyOf(IndexMethod.class, IndexMetric.class, IndexParams.class,
              Quantization.class, FileTrees.class));

  private static final DescribedPredicate<JavaClass> STORAGE_INTERNALS =
      resideInAPackage("org.quiver.storage..").and(not(STORAGE_VALUES))
          .as("are storage classes other than its value types");

  /** The SQL door's and the api's main classes, read from the class path once. */
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.quiver.sql", "org.quiver.engine.api");
  }

  @Test
  void theSqlDoorReachesTheEngineOnlyThroughItsApi() {
    noClasses().that().resideInAPackage("org.quiver.sql..")
        .and().resideOutsideOfPackage("org.quiver.sql.bench..")
        .should().dependOnClassesThat(ENGINE_INTERNALS.or(STORAGE_INTERNALS))
        .check(classes);
  }

  /**
   * The benchmarks may open storage's index classes for their raw-library baselines, and the
   * storage benchmark the key-value stores and the log it measures, which the api does not expose.
   */
  @Test
  void theBenchmarksReachTheEngineOnlyThroughItsApi() {
    noClasses().that().resideInAPackage("org.quiver.sql.bench..")
        .and().doNotHaveSimpleName("StorageBench")
        .should().dependOnClassesThat(ENGINE_INTERNALS
            .or(STORAGE_INTERNALS.and(not(resideInAPackage("org.quiver.storage.index..")))))
        .check(classes);
    noClasses().that().haveFullyQualifiedName("org.quiver.sql.bench.StorageBench")
        .should().dependOnClassesThat(ENGINE_INTERNALS.or(STORAGE_INTERNALS.and(
            not(resideInAnyPackage("org.quiver.storage.kv..", "org.quiver.storage.mq..")))))
        .check(classes);
  }

  @Test
  void theApiDependsOnNoEngineInternals() {
    noClasses().that().resideInAPackage("org.quiver.engine.api..")
        .should().dependOnClassesThat(ENGINE_INTERNALS.or(STORAGE_INTERNALS))
        .check(classes);
  }
}
