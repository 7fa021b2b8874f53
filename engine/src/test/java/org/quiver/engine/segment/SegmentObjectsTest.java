package org.quiver.engine.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.storage.FileTrees;
import org.quiver.storage.object.LocalObjectStore;
import org.quiver.storage.object.ObjectEntry;
import org.quiver.storage.segment.CorruptSegmentException;

/**
 * Segment and index folders in an object store (a folder store here; S3 in the end-to-end
 * tests): uploaded under their relative paths, fetched whole or not at all, and deleted by
 * folder.
 */
class SegmentObjectsTest {
  private static final String SEGMENT = "segments/1/_default/5";
  private static final String INDEX = SEGMENT + "/index-9";

  @TempDir Path temp;
  private Path data;
  private LocalObjectStore store;
  private SegmentObjects objects;

  @BeforeEach
  void open() {
    data = temp.resolve("data");
    store = LocalObjectStore.open(temp.resolve("store"));
    objects = new SegmentObjects(store, data, "the test store");
  }

  @AfterEach
  void close() {
    objects.close();
  }

  private void write(String file, String content) throws IOException {
    Path path = data.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, content);
  }

  /** A segment folder with an index folder inside, both uploaded; the local copy removed. */
  private void stored() throws IOException {
    write(SEGMENT + "/data.arrow", "rows");
    write(SEGMENT + "/deletes.arrow", "deletes");
    write(SEGMENT + "/manifest", "segment manifest");
    write(INDEX + "/graph.bin", "graph");
    write(INDEX + "/manifest", "index manifest");
    objects.upload(SEGMENT, false);
    objects.upload(INDEX, true);
    FileTrees.deleteRecursively(data.resolve("segments"));
  }

  private List<String> keys() {
    return store.list("").stream().map(ObjectEntry::key).toList();
  }

  @Test
  void foldersGoUpUnderTheirRelativePathsAndComeBackSeparately() throws IOException {
    stored();
    assertEquals(List.of(SEGMENT + "/data.arrow", SEGMENT + "/deletes.arrow",
        INDEX + "/graph.bin", INDEX + "/manifest", SEGMENT + "/manifest"), keys());

    assertTrue(objects.fetch(SEGMENT, false));
    assertEquals("rows", Files.readString(data.resolve(SEGMENT + "/data.arrow")));
    assertEquals("segment manifest", Files.readString(data.resolve(SEGMENT + "/manifest")));
    assertFalse(Files.exists(data.resolve(INDEX)), "a segment's fetch leaves its indexes out");
    assertFalse(objects.fetch(SEGMENT, false), "cached now");

    assertTrue(objects.fetch(INDEX, true));
    assertEquals("graph", Files.readString(data.resolve(INDEX + "/graph.bin")));
    assertFalse(objects.fetch(INDEX, true));
    assertEmptyPartial();
  }

  @Test
  void anIndexFetchedBeforeItsSegmentLeavesTheSegmentToBeFetched() throws IOException {
    stored();
    assertTrue(objects.fetch(INDEX, true));
    assertFalse(Files.exists(data.resolve(SEGMENT + "/manifest")));
    assertTrue(objects.fetch(SEGMENT, false), "the folder exists, but not its manifest");
    assertEquals("deletes", Files.readString(data.resolve(SEGMENT + "/deletes.arrow")));
    assertEquals("graph", Files.readString(data.resolve(INDEX + "/graph.bin")));
    assertEmptyPartial();
  }

  @Test
  void aCorruptObjectIsNamedAndNothingIsCached() throws IOException {
    stored();
    Path object = store.fileOf(SEGMENT + "/deletes.arrow");
    try (RandomAccessFile f = new RandomAccessFile(object.toFile(), "rw")) {
      f.seek(0);
      f.write('D');
    }
    CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
        () -> objects.fetch(SEGMENT, false));
    assertEquals(data.resolve(SEGMENT + "/deletes.arrow"), e.file());
    assertTrue(e.getMessage().contains(SEGMENT + "/deletes.arrow")
        && e.getMessage().contains("the test store"), e.getMessage());
    assertFalse(Files.exists(data.resolve(SEGMENT)), "no folder half downloaded");
    assertEmptyPartial();
  }

  @Test
  void someFilesOfAFolderAreFetchedApartUntilItIsCachedWhole() throws IOException {
    stored();
    List<String> names = List.of("manifest", "deletes.arrow");
    Path part = objects.fetchFiles(SEGMENT, names);
    assertEquals(data.resolve(SegmentObjects.PARTS).resolve(SEGMENT), part);
    assertEquals("deletes", Files.readString(part.resolve("deletes.arrow")));
    assertFalse(Files.exists(part.resolve("data.arrow")), "the rows stay in the store");
    assertFalse(Files.exists(data.resolve(SEGMENT)), "the folder is not cached as if whole");
    assertEquals(part, objects.fetchFiles(SEGMENT, names), "cached now");

    assertTrue(objects.fetch(SEGMENT, false));
    assertEquals(data.resolve(SEGMENT), objects.fetchFiles(SEGMENT, names),
        "a folder cached whole serves its files");

    // A corrupt object is named, and nothing half fetched is left.
    String other = "segments/1/_default/6";
    write(other + "/data.arrow", "rows");
    write(other + "/deletes.arrow", "deletes");
    write(other + "/manifest", "segment manifest");
    objects.upload(other, false);
    FileTrees.deleteRecursively(data.resolve(other));
    try (RandomAccessFile f = new RandomAccessFile(
        store.fileOf(other + "/deletes.arrow").toFile(), "rw")) {
      f.seek(0);
      f.write('D');
    }
    CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
        () -> objects.fetchFiles(other, names));
    Path otherPart = data.resolve(SegmentObjects.PARTS).resolve(other);
    assertEquals(otherPart.resolve("deletes.arrow"), e.file());
    assertTrue(e.getMessage().contains("the test store"), e.getMessage());
    assertFalse(Files.exists(otherPart), "no part half fetched");
    assertEmptyPartial();
  }

  @Test
  void aFolderInNeitherPlaceIsNamed() {
    NoSuchFileException e = assertThrows(NoSuchFileException.class,
        () -> objects.fetch("segments/1/_default/77", false));
    assertTrue(e.getMessage().contains("segments/1/_default/77/manifest")
        && e.getMessage().contains("the test store"), e.getMessage());
  }

  @Test
  void concurrentReadersOfAMissingFolderFetchItOnce() throws Exception {
    stored();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> readers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        readers.add(() -> objects.fetch(SEGMENT, false));
      }
      int downloads = 0;
      for (Future<Boolean> f : pool.invokeAll(readers)) {
        downloads += f.get() ? 1 : 0;
      }
      assertEquals(1, downloads);
    } finally {
      pool.shutdownNow();
    }
    assertArrayEquals("rows".getBytes(StandardCharsets.UTF_8),
        Files.readAllBytes(data.resolve(SEGMENT + "/data.arrow")));
  }

  @Test
  void deletingAFolderDeletesItsObjectsAndNoOthers() throws IOException {
    stored();
    write("segments/1/_default/50/manifest", "another segment");
    objects.upload("segments/1/_default/50", false);
    objects.delete(SEGMENT);
    assertEquals(List.of("segments/1/_default/50/manifest"), keys());
    objects.delete("segments/1");
    assertEquals(List.of(), keys());
  }

  @Test
  void downloadsACrashCutShortAreRemovedAtOpen() throws IOException {
    write(SegmentObjects.PARTIAL + "/abc/data.arrow", "half");
    new SegmentObjects(LocalObjectStore.open(temp.resolve("store")), data, "again").close();
    assertFalse(Files.exists(data.resolve(SegmentObjects.PARTIAL)));
  }

  private void assertEmptyPartial() throws IOException {
    Path partial = data.resolve(SegmentObjects.PARTIAL);
    if (Files.exists(partial)) {
      try (Stream<Path> left = Files.list(partial)) {
        assertEquals(List.of(), left.toList());
      }
    }
  }
}
