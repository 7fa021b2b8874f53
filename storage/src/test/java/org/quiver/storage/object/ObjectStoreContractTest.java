package org.quiver.storage.object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.storage.StorageException;

/** The behaviour every {@link ObjectStore} must show; each implementation extends it. */
public abstract class ObjectStoreContractTest {

  @TempDir protected Path dir;

  /**
   * Opens the store kept under {@code dir}; opening the same directory again, even while the first
   * store is open, must see the same objects.
   */
  protected abstract ObjectStore open(Path dir);

  /**
   * Changes the stored bytes of the object under {@code key} (of at least 2 bytes) without
   * changing the checksum recorded for it, as a failing disk would.
   */
  protected abstract void corrupt(Path dir, String key) throws IOException;

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  protected static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  protected static int crc32c(byte[] b) {
    CRC32C crc = new CRC32C();
    crc.update(b);
    return (int) crc.getValue();
  }

  private static List<String> keys(List<ObjectEntry> entries) {
    return entries.stream().map(ObjectEntry::key).toList();
  }

  @Test
  void putBytesThenGetStatAndReplace() {
    try (ObjectStore store = open(dir)) {
      byte[] one = bytes("segment one");
      ObjectInfo put = store.put("segments/1/data.arrow", one);
      assertEquals(new ObjectInfo("segments/1/data.arrow", one.length, crc32c(one)), put);
      assertArrayEquals(one, store.getBytes("segments/1/data.arrow"));
      assertEquals(Optional.of(put), store.stat("segments/1/data.arrow"));
      assertTrue(store.exists("segments/1/data.arrow"));

      byte[] two = bytes("segment one, written again and longer");
      ObjectInfo replaced = store.put("segments/1/data.arrow", two);
      assertEquals(two.length, replaced.size());
      assertEquals(crc32c(two), replaced.crc32c());
      assertArrayEquals(two, store.getBytes("segments/1/data.arrow"));
      assertEquals(Optional.of(replaced), store.stat("segments/1/data.arrow"));
      assertEquals(
          List.of(new ObjectEntry("segments/1/data.arrow", two.length)), store.list("segments/"));
    }
  }

  @Test
  void putFileThenGetToFile() throws IOException {
    byte[] content = random(300_000, 1);
    Path source = Files.write(dir.resolve("source.bin"), content);
    Path target = dir.resolve("target.bin");
    try (ObjectStore store = open(dir)) {
      ObjectInfo put = store.put("segments/2/index-7/graph", source);
      assertEquals(new ObjectInfo("segments/2/index-7/graph", content.length, crc32c(content)), put);
      assertEquals(put, store.get("segments/2/index-7/graph", target));
      assertArrayEquals(content, Files.readAllBytes(target));

      Files.write(target, bytes("an older copy"));
      store.get("segments/2/index-7/graph", target);
      assertArrayEquals(content, Files.readAllBytes(target), "get replaces the file at the target");
      assertArrayEquals(content, Files.readAllBytes(source), "put leaves its source alone");
    }
  }

  @Test
  void emptyObjectsAndBinaryContent() throws IOException {
    byte[] binary = {0, -1, 127, -128, 10, 0};
    try (ObjectStore store = open(dir)) {
      assertEquals(new ObjectInfo("empty", 0, crc32c(new byte[0])), store.put("empty", new byte[0]));
      assertArrayEquals(new byte[0], store.getBytes("empty"));
      assertArrayEquals(new byte[0], store.getRange("empty", 0, 0));
      Path target = dir.resolve("empty.out");
      store.get("empty", target);
      assertEquals(0, Files.size(target));

      store.put("clé/ключ/鍵", binary);
      assertArrayEquals(binary, store.getBytes("clé/ключ/鍵"));
      assertEquals(List.of(new ObjectEntry("clé/ключ/鍵", 6)), store.list("clé/"));
    }
  }

  @Test
  void missingKeys() {
    Path target = dir.resolve("never.bin");
    try (ObjectStore store = open(dir)) {
      store.put("segments/1/data.arrow", bytes("x"));
      assertEquals(Optional.empty(), store.stat("segments/1/deletes.arrow"));
      assertFalse(store.exists("segments/1/deletes.arrow"));
      assertFalse(store.exists("segments/1"), "a folder is not an object");

      ObjectNotFoundException e =
          assertThrows(ObjectNotFoundException.class, () -> store.getBytes("segments/9/x"));
      assertEquals("segments/9/x", e.key());
      assertTrue(e.getMessage().contains("segments/9/x"), e.getMessage());
      assertThrows(ObjectNotFoundException.class, () -> store.get("segments/9/x", target));
      assertFalse(Files.exists(target), "a failed get creates no file");
      assertThrows(ObjectNotFoundException.class, () -> store.getRange("segments/9/x", 0, 1));

      store.delete("segments/9/x");
      assertEquals(List.of(), store.list("segments/9/"));
      assertEquals(List.of(), store.list("nothing"));
      assertEquals(0, store.deletePrefix("segments/9/"));
      assertArrayEquals(bytes("x"), store.getBytes("segments/1/data.arrow"));
    }
  }

  @Test
  void corruptedObjectIsDetectedOnEveryWholeRead() throws IOException {
    byte[] content = random(100_000, 2);
    Path target = dir.resolve("copy.bin");
    try (ObjectStore store = open(dir)) {
      store.put("segments/3/data.arrow", content);
      corrupt(dir, "segments/3/data.arrow");

      CorruptObjectException e =
          assertThrows(CorruptObjectException.class, () -> store.getBytes("segments/3/data.arrow"));
      assertEquals("segments/3/data.arrow", e.key());
      assertTrue(e.getMessage().contains("segments/3/data.arrow"), e.getMessage());
      assertTrue(e.reason().contains("crc32c"), e.reason());

      assertThrows(CorruptObjectException.class, () -> store.get("segments/3/data.arrow", target));
      assertFalse(Files.exists(target), "corrupt bytes never reach the target");
      Files.write(target, bytes("the good old copy"));
      assertThrows(CorruptObjectException.class, () -> store.get("segments/3/data.arrow", target));
      assertArrayEquals(bytes("the good old copy"), Files.readAllBytes(target));
      assertEquals(
          List.of("copy.bin"),
          listNames(dir.resolve("copy.bin").getParent(), "copy"),
          "no temporary file is left beside the target");

      store.put("segments/3/data.arrow", content);
      assertArrayEquals(content, store.getBytes("segments/3/data.arrow"), "a new put heals it");
    }
  }

  private static List<String> listNames(Path folder, String containing) throws IOException {
    try (var files = Files.list(folder)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.contains(containing) || n.endsWith(".tmp"))
          .sorted()
          .toList();
    }
  }

  @Test
  void bigObjectAndRanges() throws IOException {
    int size = 20 * 1024 * 1024 + 123;
    byte[] content = random(size, 3);
    Path source = Files.write(dir.resolve("big.bin"), content);
    Path target = dir.resolve("big.out");
    try (ObjectStore store = open(dir)) {
      ObjectInfo put = store.put("segments/4/data.arrow", source);
      assertEquals(size, put.size());
      assertEquals(crc32c(content), put.crc32c());
      assertEquals(Optional.of(put), store.stat("segments/4/data.arrow"));
      assertEquals(put, store.get("segments/4/data.arrow", target));
      assertTrue(Arrays.equals(content, Files.readAllBytes(target)), "big object round trip");

      assertArrayEquals(
          Arrays.copyOfRange(content, 0, 16), store.getRange("segments/4/data.arrow", 0, 16));
      assertArrayEquals(
          Arrays.copyOfRange(content, size - 16, size),
          store.getRange("segments/4/data.arrow", size - 16, 16));
      int mid = 8 * 1024 * 1024 - 1000;
      assertArrayEquals(
          Arrays.copyOfRange(content, mid, mid + 3_000_000),
          store.getRange("segments/4/data.arrow", mid, 3_000_000));
      assertArrayEquals(new byte[0], store.getRange("segments/4/data.arrow", size, 0));

      assertThrows(
          IllegalArgumentException.class,
          () -> store.getRange("segments/4/data.arrow", size - 5, 6));
      assertThrows(
          IllegalArgumentException.class, () -> store.getRange("segments/4/data.arrow", size, 1));
      assertThrows(
          IllegalArgumentException.class, () -> store.getRange("segments/4/data.arrow", -1, 1));
      assertThrows(
          IllegalArgumentException.class, () -> store.getRange("segments/4/data.arrow", 0, -1));
    }
  }

  @Test
  void listingIsInKeyOrderAndByPrefix() {
    List<String> written =
        new ArrayList<>(
            List.of(
                "seg/10/a",
                "seg/1/b",
                "seg/1/a",
                "seg/1/sub/c",
                "seg/1-x",
                "seg/2",
                "segz",
                "a",
                "seg/é",
                "seg/Z"));
    Collections.shuffle(written, new Random(4));
    try (ObjectStore store = open(dir)) {
      for (String key : written) {
        store.put(key, bytes(key + "!"));
      }
      List<ObjectEntry> all = store.list("");
      assertEquals(
          List.of(
              "a",
              "seg/1-x",
              "seg/1/a",
              "seg/1/b",
              "seg/1/sub/c",
              "seg/10/a",
              "seg/2",
              "seg/Z",
              "seg/é",
              "segz"),
          keys(all));
      for (ObjectEntry e : all) {
        assertEquals(bytes(e.key() + "!").length, e.size(), e.key());
      }
      assertEquals(List.of("seg/1/a", "seg/1/b", "seg/1/sub/c"), keys(store.list("seg/1/")));
      assertEquals(
          List.of("seg/1-x", "seg/1/a", "seg/1/b", "seg/1/sub/c", "seg/10/a"),
          keys(store.list("seg/1")));
      assertEquals(List.of("seg/1/sub/c"), keys(store.list("seg/1/s")));
      assertEquals(List.of("segz"), keys(store.list("segz")));
    }
  }

  @Test
  void deleteAndDeletePrefix() {
    try (ObjectStore store = open(dir)) {
      for (String key : List.of("seg/1/a", "seg/1/b", "seg/1/sub/c", "seg/10/a", "seg/2")) {
        store.put(key, bytes(key));
      }
      store.delete("seg/2");
      assertFalse(store.exists("seg/2"));
      assertThrows(ObjectNotFoundException.class, () -> store.getBytes("seg/2"));

      assertEquals(3, store.deletePrefix("seg/1/"));
      assertEquals(List.of("seg/10/a"), keys(store.list("")));
      assertArrayEquals(bytes("seg/10/a"), store.getBytes("seg/10/a"));

      store.put("seg/1/a", bytes("again"));
      assertArrayEquals(bytes("again"), store.getBytes("seg/1/a"), "a deleted folder is reusable");
      assertEquals(2, store.deletePrefix(""));
      assertEquals(List.of(), store.list(""));
    }
  }

  @Test
  void concurrentPutsOfDifferentKeys() throws Exception {
    int threads = 8;
    int perThread = 20;
    try (ObjectStore store = open(dir)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < perThread; i++) {
                      // Threads share folders, so the folder store's directory handling races too.
                      String key = "seg/" + (i % 4) + "/t" + thread + "-" + i;
                      store.put(key, random(1000 + i, thread * 1000L + i));
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      List<ObjectEntry> all = store.list("seg/");
      assertEquals(threads * perThread, all.size());
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < perThread; i++) {
          String key = "seg/" + (i % 4) + "/t" + t + "-" + i;
          assertArrayEquals(random(1000 + i, t * 1000L + i), store.getBytes(key), key);
        }
      }
    }
  }

  @Test
  void aListingDuringDeletesElsewhereMissesNothingElse() throws Exception {
    try (ObjectStore store = open(dir)) {
      List<String> stable = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        stable.add("seg/s" + i + "/k");
        store.put("seg/s" + i + "/k", bytes("s" + i));
      }
      java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
      ExecutorService churn = Executors.newSingleThreadExecutor();
      try {
        // Folders appear and vanish among the stable ones while the listings run.
        Future<Integer> rounds =
            churn.submit(
                () -> {
                  int n = 0;
                  while (!stop.get()) {
                    store.put("seg/c" + n + "/x", bytes("c"));
                    store.delete("seg/c" + n + "/x");
                    n++;
                  }
                  return n;
                });
        for (int i = 0; i < 40; i++) {
          List<String> listed =
              keys(store.list("seg/")).stream().filter(k -> k.startsWith("seg/s")).toList();
          List<String> expected = new ArrayList<>(stable);
          expected.sort(ObjectKeys.ORDER);
          assertEquals(expected, listed, "listing " + i);
        }
        stop.set(true);
        assertTrue(rounds.get() > 0);
      } finally {
        stop.set(true);
        churn.shutdown();
      }
    }
  }

  @Test
  void anotherStoreOnTheSamePlaceSeesTheObjects() {
    byte[] content = random(5000, 5);
    try (ObjectStore writer = open(dir)) {
      writer.put("segments/5/pkstats.bin", content);
      try (ObjectStore reader = open(dir)) {
        assertArrayEquals(content, reader.getBytes("segments/5/pkstats.bin"));
        reader.delete("segments/5/pkstats.bin");
      }
      assertFalse(writer.exists("segments/5/pkstats.bin"));
      writer.put("segments/5/pkstats.bin", content);
    }
    try (ObjectStore again = open(dir)) {
      assertArrayEquals(content, again.getBytes("segments/5/pkstats.bin"));
    }
  }

  @Test
  void invalidKeysAndMissingSourcesAreRejected() {
    try (ObjectStore store = open(dir)) {
      for (String bad : List.of("", "/a", "a/", "a//b", "../a", "a/../b", "a/./b", "a\\b", "a\nb")) {
        assertThrows(IllegalArgumentException.class, () -> store.put(bad, bytes("x")), bad);
        assertThrows(IllegalArgumentException.class, () -> store.getBytes(bad), bad);
      }
      assertThrows(IllegalArgumentException.class, () -> store.list("/a"));
      assertThrows(IllegalArgumentException.class, () -> store.list("a//"));
      StorageException e =
          assertThrows(
              StorageException.class, () -> store.put("k", dir.resolve("no-such-file.bin")));
      assertTrue(e.getMessage().contains("k"), e.getMessage());
      assertFalse(store.exists("k"), "a failed put stores nothing");
    }
  }

  @Test
  void aClosedStoreRefusesWork() {
    ObjectStore store = open(dir);
    store.put("k", bytes("v"));
    store.close();
    assertThrows(IllegalStateException.class, () -> store.getBytes("k"));
    assertThrows(IllegalStateException.class, () -> store.put("k", bytes("w")));
    store.close();
  }
}
