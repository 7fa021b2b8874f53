package org.quiver.storage.object;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalObjectStoreTest extends ObjectStoreContractTest {

  @Override
  protected ObjectStore open(Path dir) {
    return LocalObjectStore.open(dir.resolve("store"));
  }

  /** Flips one bit of the object's bytes in its file, leaving the trailer's checksum. */
  @Override
  protected void corrupt(Path dir, String key) throws IOException {
    try (LocalObjectStore store = LocalObjectStore.open(dir.resolve("store"));
        RandomAccessFile f = new RandomAccessFile(store.fileOf(key).toFile(), "rw")) {
      f.seek(1);
      int b = f.read();
      f.seek(1);
      f.write(b ^ 0x10);
    }
  }

  @Test
  void aTruncatedFileIsCorruptNotShort() throws IOException {
    try (LocalObjectStore store = LocalObjectStore.open(dir.resolve("store"))) {
      store.put("a/b", random(1000, 6));
      try (RandomAccessFile f = new RandomAccessFile(store.fileOf("a/b").toFile(), "rw")) {
        f.setLength(500);
      }
      CorruptObjectException e =
          assertThrows(CorruptObjectException.class, () -> store.getBytes("a/b"));
      assertEquals("a/b", e.key());
      assertThrows(CorruptObjectException.class, () -> store.stat("a/b"));
      assertThrows(CorruptObjectException.class, () -> store.getRange("a/b", 0, 10));
    }
  }

  @Test
  void deletingTheLastObjectOfAFolderRemovesTheFolderAndOpenClearsLeftovers()
      throws IOException {
    Path root = dir.resolve("store");
    try (LocalObjectStore store = LocalObjectStore.open(root)) {
      store.put("seg/1/a", bytes("a"));
      store.put("seg/2/a", bytes("a"));
      store.deletePrefix("seg/1/");
      assertFalse(Files.exists(root.resolve("objects/seg/1")));
      assertTrue(Files.exists(root.resolve("objects/seg/2/a")));
      Files.write(root.resolve("tmp/put-123.tmp"), bytes("a crash left this"));
    }
    try (LocalObjectStore store = LocalObjectStore.open(root)) {
      try (var left = Files.list(root.resolve("tmp"))) {
        assertEquals(List.of(), left.toList());
      }
      assertArrayEquals(bytes("a"), store.getBytes("seg/2/a"));
    }
  }

  @Test
  void aKeyUnderAnObjectIsRefused() {
    try (LocalObjectStore store = LocalObjectStore.open(dir.resolve("store"))) {
      store.put("seg/1", bytes("a file"));
      assertThrows(org.quiver.storage.StorageException.class, () -> store.put("seg/1/a", bytes("x")));
      assertArrayEquals(bytes("a file"), store.getBytes("seg/1"));
    }
  }
}
