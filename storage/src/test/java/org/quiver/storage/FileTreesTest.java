package org.quiver.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path dir;

  @Test
  void deletesNestedFilesAndDirectories() throws IOException {
    Path root = dir.resolve("segments/7");
    Files.createDirectories(root.resolve("_default/12/index"));
    Files.writeString(root.resolve("_default/12/data.arrow"), "rows");
    Files.writeString(root.resolve("_default/12/index/ivf"), "lists");
    Files.createDirectories(root.resolve("p1"));
    FileTrees.deleteRecursively(root);
    assertFalse(Files.exists(root));
    assertTrue(Files.isDirectory(dir.resolve("segments")), "the parent stays");
  }

  @Test
  void aMissingRootIsLeftAsItIsWithoutAnError() {
    Path missing = dir.resolve("never-made");
    FileTrees.deleteRecursively(missing);
    assertFalse(Files.exists(missing));
    assertTrue(Files.isDirectory(dir));
  }

  @Test
  void deletesALinkWithoutFollowingIt() throws IOException {
    Path kept = Files.createDirectories(dir.resolve("kept"));
    Files.writeString(kept.resolve("file"), "x");
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.createSymbolicLink(root.resolve("link"), kept);
    FileTrees.deleteRecursively(root);
    assertFalse(Files.exists(root));
    assertTrue(Files.exists(kept.resolve("file")), "the link's target is not touched");
  }
}
