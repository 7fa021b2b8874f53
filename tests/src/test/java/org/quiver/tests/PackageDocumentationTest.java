package org.quiver.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every package of the main sources, in every module however deeply nested, opens with a
 * {@code package-info.java} whose Javadoc says what the package is for, so that a newcomer can
 * follow a request through the code by package names and their documentation alone.
 */
class PackageDocumentationTest {
  /** The tests run in {@code tests/}; the repository is its parent. */
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  /** A Javadoc comment, then any annotations, then the package declaration. */
  private static final Pattern DOCUMENTED_PACKAGE =
      Pattern.compile("(?s)\\s*/\\*\\*(.*?)\\*/\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*package\\s");

  /** What a main-source package lacks, as one line of the failure message. */
  private record Offender(Path packageDirectory, String problem) {
    @Override
    public String toString() {
      return packageDirectory + ": " + problem;
    }
  }

  /** The directories under {@code root} that hold Java files of a module's main sources. */
  private static List<Path> mainSourcePackages(Path root) throws IOException {
    TreeSet<Path> packages = new TreeSet<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        boolean buildOutputOrHidden = !dir.equals(root)
            && (name.equals("target") || name.startsWith("."));
        return buildOutputOrHidden ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        Path relative = root.relativize(file);
        if (file.toString().endsWith(".java") && isUnderMainJava(relative)) {
          packages.add(relative.getParent());
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return List.copyOf(packages);
  }

  /** Whether a file's path has the folders src/main/java somewhere above the file itself. */
  private static boolean isUnderMainJava(Path relative) {
    for (int i = 0; i + 3 < relative.getNameCount(); i++) {
      if (relative.getName(i).toString().equals("src")
          && relative.getName(i + 1).toString().equals("main")
          && relative.getName(i + 2).toString().equals("java")) {
        return true;
      }
    }
    return false;
  }

  /** The packages under {@code root} without a package-info.java that opens with Javadoc. */
  private static List<Offender> undocumented(Path root, List<Path> packages) throws IOException {
    List<Offender> offenders = new ArrayList<>();
    for (Path pkg : packages) {
      Path info = root.resolve(pkg).resolve("package-info.java");
      if (!Files.isRegularFile(info)) {
        offenders.add(new Offender(pkg, "no package-info.java"));
        continue;
      }
      Matcher m = DOCUMENTED_PACKAGE.matcher(Files.readString(info));
      if (!m.lookingAt() || m.group(1).replaceAll("[\\s*]", "").isEmpty()) {
        offenders.add(new Offender(pkg, "package-info.java has no Javadoc comment"));
      }
    }
    return offenders;
  }

  @Test
  void everyMainSourcePackageHasAPackageInfoWithJavadoc() throws IOException {
    assertTrue(Files.isRegularFile(REPOSITORY.resolve("pom.xml"))
        && Files.isDirectory(REPOSITORY.resolve("tests")), "not the repository root: " + REPOSITORY);
    List<Path> packages = mainSourcePackages(REPOSITORY);
    // The walk reaches the modules nested inside sql/, storage/ and tests/, not only the top level.
    for (String nested : List.of("sql/server/src/main/java/org/quiver/sql/server",
        "storage/etcd/src/main/java/org/quiver/storage/kv",
        "storage/kafka/src/main/java/org/quiver/storage/mq",
        "tests/fixtures/src/main/java/org/quiver/fixtures")) {
      assertTrue(packages.contains(Path.of(nested)), nested + " not among " + packages);
    }
    List<Offender> offenders = undocumented(REPOSITORY, packages);
    assertEquals(List.of(), offenders,
        offenders.size() + " of " + packages.size() + " main-source packages are undocumented");
  }

  @Test
  void namesEveryOffenderAndIgnoresTestSourcesAndBuildOutput(@TempDir Path root)
      throws IOException {
    write(root, "a/src/main/java/p/documented/A.java", "package p.documented; class A {}");
    write(root, "a/src/main/java/p/documented/package-info.java",
        "/** What p.documented is for. */\n@Deprecated\npackage p.documented;\n");
    write(root, "a/src/main/java/p/missing/B.java", "package p.missing; class B {}");
    write(root, "a/nested/src/main/java/p/plain/C.java", "package p.plain; class C {}");
    write(root, "a/nested/src/main/java/p/plain/package-info.java",
        "/* not Javadoc */\npackage p.plain;\n");
    write(root, "a/nested/src/main/java/p/empty/D.java", "package p.empty; class D {}");
    write(root, "a/nested/src/main/java/p/empty/package-info.java", "/** */\npackage p.empty;\n");
    write(root, "a/src/test/java/p/tested/T.java", "package p.tested; class T {}");
    write(root, "a/target/generated-sources/src/main/java/p/gen/G.java", "package p.gen;");

    List<Path> packages = mainSourcePackages(root);
    assertEquals(List.of(Path.of("a/nested/src/main/java/p/empty"),
        Path.of("a/nested/src/main/java/p/plain"), Path.of("a/src/main/java/p/documented"),
        Path.of("a/src/main/java/p/missing")), packages);
    assertEquals(List.of(
        new Offender(Path.of("a/nested/src/main/java/p/empty"),
            "package-info.java has no Javadoc comment"),
        new Offender(Path.of("a/nested/src/main/java/p/plain"),
            "package-info.java has no Javadoc comment"),
        new Offender(Path.of("a/src/main/java/p/missing"), "no package-info.java")),
        undocumented(root, packages));
  }

  private static void write(Path root, String relative, String text) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
