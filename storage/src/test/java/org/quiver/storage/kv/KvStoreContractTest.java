package org.quiver.storage.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link KvStore} must show; each implementation extends it. */
public abstract class KvStoreContractTest {

  @TempDir Path dir;

  /**
   * Opens the store kept under {@code dir}; opening the same directory again after close must see
   * the same data.
   */
  protected abstract KvStore open(Path dir);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String string(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void getPutDelete() {
    try (KvStore kv = open(dir)) {
      assertNull(kv.get("missing"));
      kv.put("collection/1", bytes("one"));
      assertEquals("one", string(kv.get("collection/1")));
      kv.put("collection/1", bytes("uno"));
      assertEquals("uno", string(kv.get("collection/1")));
      kv.delete("collection/1");
      assertNull(kv.get("collection/1"));
      kv.delete("never-written");
    }
  }

  @Test
  void keepsBinaryValuesEmptyValuesAndUnicodeKeys() {
    byte[] binary = {0, -1, 127, -128, 10, 0};
    try (KvStore kv = open(dir)) {
      kv.put("clé/ключ/鍵", binary);
      kv.put("empty", new byte[0]);
      assertArrayEquals(binary, kv.get("clé/ключ/鍵"));
      assertArrayEquals(new byte[0], kv.get("empty"));
      assertEquals(List.of("clé/ключ/鍵"), List.copyOf(kv.scanPrefix("clé/").keySet()));
    }
  }

  @Test
  void multiSaveAppliesPutsAndRemovesTogether() {
    try (KvStore kv = open(dir)) {
      kv.put("a", bytes("1"));
      kv.put("b", bytes("2"));
      Map<String, byte[]> puts = new LinkedHashMap<>();
      puts.put("c", bytes("3"));
      puts.put("a", bytes("10"));
      kv.multiSave(puts, List.of("b", "not-there"));
      assertEquals("10", string(kv.get("a")));
      assertNull(kv.get("b"));
      assertEquals("3", string(kv.get("c")));
    }
  }

  @Test
  void multiSaveIsSeenWholeByConcurrentScans() throws Exception {
    List<String> left = List.of("s/x1", "s/x2", "s/x3", "s/x4");
    List<String> right = List.of("s/y1", "s/y2", "s/y3", "s/y4");
    try (KvStore kv = open(dir)) {
      kv.multiSave(values(left), List.of());
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<String> torn = new AtomicReference<>();
      Thread reader =
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (!stop.get() && torn.get() == null) {
                      List<String> seen = List.copyOf(kv.scanPrefix("s/").keySet());
                      if (!seen.equals(left) && !seen.equals(right)) {
                        torn.set(seen.toString());
                      }
                    }
                  });
      for (int i = 0; i < 100; i++) {
        boolean toRight = i % 2 == 0;
        kv.multiSave(values(toRight ? right : left), toRight ? left : right);
      }
      stop.set(true);
      reader.join();
      assertNull(torn.get(), "a scan saw half of a multiSave");
    }
  }

  private static Map<String, byte[]> values(List<String> keys) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (String k : keys) {
      m.put(k, bytes(k));
    }
    return m;
  }

  @Test
  void scanPrefixIsOrderedAndBounded() {
    try (KvStore kv = open(dir)) {
      for (String k : List.of("a", "a/", "a/2", "a/10", "a/1/x", "a0", "a.", "b/1", "`")) {
        kv.put(k, bytes("v" + k));
      }
      SortedMap<String, byte[]> scan = kv.scanPrefix("a/");
      assertEquals(List.of("a/", "a/1/x", "a/10", "a/2"), new ArrayList<>(scan.keySet()));
      assertEquals("va/10", string(scan.get("a/10")));
      assertEquals(List.of("a/1/x", "a/10"), new ArrayList<>(kv.scanPrefix("a/1").keySet()));
      assertTrue(kv.scanPrefix("c").isEmpty());
      assertEquals(9, kv.scanPrefix("").size());
    }
  }

  @Test
  void reopenKeepsData() {
    try (KvStore kv = open(dir)) {
      kv.put("tso", bytes("42"));
      kv.multiSave(Map.of("x/1", bytes("1"), "x/2", bytes("2")), List.of());
      kv.delete("x/2");
    }
    try (KvStore kv = open(dir)) {
      assertEquals("42", string(kv.get("tso")));
      assertEquals(List.of("x/1"), new ArrayList<>(kv.scanPrefix("x/").keySet()));
    }
  }

  @Test
  void closedStoreRefusesWork() {
    KvStore kv = open(dir);
    kv.close();
    assertThrows(IllegalStateException.class, () -> kv.get("a"));
    kv.close();
  }

  private static List<String> described(List<KvChange> write) {
    return write.stream()
        .map(c -> c.key() + (c.removed() ? " removed" : "=" + string(c.value())))
        .toList();
  }

  @Test
  void aWatchSeesEachLaterWriteUnderItsPrefixInOrder() throws Exception {
    try (KvStore kv = open(dir)) {
      kv.put("w/before", bytes("0"));
      BlockingQueue<List<KvChange>> seen = new LinkedBlockingQueue<>();
      try (KvWatch watch = kv.watchPrefix("w/", seen::add)) {
        kv.put("w/a", bytes("1"));
        kv.put("x/a", bytes("elsewhere"));
        kv.multiSave(Map.of("w/c", bytes("3"), "w/b", bytes("2"), "x/b", bytes("no")),
            List.of("w/a"));
        kv.delete("w/b");
        assertEquals(List.of("w/a=1"), described(seen.poll(10, TimeUnit.SECONDS)));
        assertEquals(List.of("w/a removed", "w/b=2", "w/c=3"),
            described(seen.poll(10, TimeUnit.SECONDS)), "one call per write, in key order");
        assertEquals(List.of("w/b removed"), described(seen.poll(10, TimeUnit.SECONDS)));
        assertNull(seen.poll(300, TimeUnit.MILLISECONDS), "nothing outside the prefix");
      }
      kv.put("w/after", bytes("4"));
      assertNull(seen.poll(300, TimeUnit.MILLISECONDS), "nothing after the watch is closed");
    }
  }
}
